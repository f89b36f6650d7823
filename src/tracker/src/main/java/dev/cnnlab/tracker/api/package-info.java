/** What every endpoint shares: the {code, error, violations} error body and its exception mappers. */
package dev.cnnlab.tracker.api;
