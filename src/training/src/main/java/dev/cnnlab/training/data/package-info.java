/**
 * Image data sets: CIFAR-10 binary and image-folder readers, the memory-mapped uint8 cache,
 * stratified splits, normalization, augmentation and the batch iterator.
 */
package dev.cnnlab.training.data;
