/**
 * The system-test harness. {@link dev.tu.testsupport.Suite} starts services as separate processes from
 * their built jars, with the environment in {@code deploy/env} (the one the chart gives them), waits
 * for readiness on the management port and stops them by PID; {@link dev.tu.testsupport.Keycloak}
 * gets real tokens from the dev realm.
 */
package dev.tu.testsupport;
