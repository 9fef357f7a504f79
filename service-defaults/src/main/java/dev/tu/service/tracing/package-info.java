/** Trace context for what leaves a service outside an instrumented HTTP call (outbox events, messages). */
package dev.tu.service.tracing;
