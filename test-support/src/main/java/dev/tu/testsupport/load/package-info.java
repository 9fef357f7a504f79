/**
 * Load and reconciliation for the reliability proofs (issue 11): {@link dev.tu.testsupport.load.LoadGenerator}
 * drives uploads at a rate with a mix of real photographs and hostile files and reports what was accepted;
 * {@link dev.tu.testsupport.load.Reconciler} then checks every accepted upload against the orchestrator's
 * workflow table and the notifications it sent: none lost, none duplicated.
 */
package dev.tu.testsupport.load;
