package dev.cnnlab.function;
