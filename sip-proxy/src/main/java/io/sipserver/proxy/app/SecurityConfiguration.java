package io.sipserver.proxy.app;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.security.autoconfigure.SecurityProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.core.userdetails.UsernameNotFoundException;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The admin API and metrics need HTTP Basic ({@code spring.security.user.*}; when no password is set, one is
 * generated and logged once at start-up): metrics tell who is calling whom and how much, so they are not public.
 * Health is open so that load balancers and container health checks need no secret; it shows its components only
 * to a request with the credentials ({@code show-details: when-authorized}). The API description and Swagger UI are
 * open: they describe the API, every operation in them still needs the credentials.
 */
@Configuration(proxyBeanMethods = false)
public class SecurityConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);

    /**
     * The one admin account. Spring Boot's default in-memory manager "upgrades" a plain-text password to BCrypt
     * after the first login, after which every API request costs a BCrypt check (tens of milliseconds of CPU):
     * scripts that create thousands of users would saturate the server. The password lives in the configuration
     * in clear anyway, so it is compared as it is, in constant time.
     */
    @Bean
    UserDetailsService adminAccount(SecurityProperties security) {
        SecurityProperties.User user = security.getUser();
        if (user.isPasswordGenerated()) {
            log.warn("Using generated security password: {} (set spring.security.user.password)", user.getPassword());
        }
        UserDetails admin = User.withUsername(user.getName())
                .password("{noop}" + user.getPassword())
                .roles(user.getRoles().toArray(String[]::new))
                .build();
        return username -> {
            if (!admin.getUsername().equals(username)) {
                throw new UsernameNotFoundException(username);
            }
            return User.withUserDetails(admin).build();
        };
    }

    @Bean
    SecurityFilterChain adminApi(HttpSecurity http) throws Exception {
        http.authorizeHttpRequests(auth -> auth
                        .requestMatchers("/actuator/health/**", "/actuator/health", "/actuator/info",
                                "/v3/api-docs/**", "/v3/api-docs", "/swagger-ui/**", "/swagger-ui.html")
                        .permitAll()
                        .anyRequest().authenticated())
                .httpBasic(Customizer.withDefaults())
                // A JSON API for scripts, authenticated on every request: no cookies, hence no CSRF exposure.
                .csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
        return http.build();
    }
}
