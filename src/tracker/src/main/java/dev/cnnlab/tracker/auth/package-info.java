/**
 * Access control for the REST API: API tokens configured by name, stored as SHA-256 hashes, checked
 * on every write (and on reads when configured); the token's name is recorded as who made a write.
 */
package dev.cnnlab.tracker.auth;
