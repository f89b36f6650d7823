package dev.cnnlab.inference;
