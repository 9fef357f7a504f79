package dev.tu.service.caller;

import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.jwt;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.annotation.Configuration;
import org.springframework.test.web.servlet.MockMvc;

/** The servlet defaults: a bearer token is required and the caller is read from its claims. */
@SpringBootTest(classes = ServletCallerEndpointTest.App.class)
@AutoConfigureMockMvc
class ServletCallerEndpointTest {

    @Autowired
    MockMvc mvc;

    @Test
    void refusesAnonymousCallers() throws Exception {
        mvc.perform(get(CallerPaths.ME)).andExpect(status().isUnauthorized());
    }

    @Test
    void answersWithTheCallersTenantAndRoles() throws Exception {
        mvc.perform(get(CallerPaths.ME).with(jwt().jwt(token -> token
                        .subject("u-1").claim("preferred_username", "alice").claim("tenant", "acme")
                        .claim("roles", List.of("tu-reader")))))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.tenant").value("acme"))
                .andExpect(jsonPath("$.username").value("alice"))
                .andExpect(jsonPath("$.roles[0]").value("tu-reader"));
    }

    @Configuration
    @EnableAutoConfiguration
    static class App {
    }
}
