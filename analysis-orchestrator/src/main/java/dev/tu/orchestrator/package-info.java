/** analysis-orchestrator: the analysis workflow per image (pending, running, completed, failed), retries and timeouts. */
package dev.tu.orchestrator;
