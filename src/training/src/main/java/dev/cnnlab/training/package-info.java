package dev.cnnlab.training;
