/**
 * Logging in against Keycloak: the OAuth 2.0 device authorization grant for people, client credentials
 * for automation, refresh with the refresh token, and the token cache (owner-only file under the XDG
 * config directory).
 */
package dev.tu.cli.auth;
