/**
 * The web console, served by the gateway: the bundle from the web-console jar under {@code /console/},
 * its configuration (where Keycloak is) at {@code /console/config.json}, and the security headers
 * that go with it. The console's API calls go through the same routes as every other client.
 */
package dev.tu.gateway.console;
