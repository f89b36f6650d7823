package dev.cnnlab.tracker;
