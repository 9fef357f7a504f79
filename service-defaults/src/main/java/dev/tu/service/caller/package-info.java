/**
 * Who is calling: subject, tenant and roles from the validated token, and {@code GET /api/v1/me},
 * which every service answers so clients and the security suite can see what each service sees.
 */
package dev.tu.service.caller;
