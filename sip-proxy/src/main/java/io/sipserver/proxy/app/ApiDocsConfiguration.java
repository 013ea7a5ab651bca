package io.sipserver.proxy.app;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The admin API's OpenAPI description ({@code /v3/api-docs}, Swagger UI at {@code /swagger-ui.html}); springdoc
 * finds the endpoints itself. Both pages are open (they describe the API, they do not use it); every operation they
 * describe needs the admin's HTTP Basic credentials, which Swagger UI asks for under "Authorize".
 */
@Configuration(proxyBeanMethods = false)
public class ApiDocsConfiguration {

    private static final String ADMIN_BASIC = "adminBasic";

    @Bean
    OpenAPI adminApiDescription() {
        return new OpenAPI()
                .info(new Info()
                        .title("sip-server admin API")
                        .description("Users, registrations, live calls, relay sessions, locations with bandwidth "
                                + "budgets, and reservations. Errors are RFC 9457 problem details.")
                        .version("v1"))
                .components(new Components().addSecuritySchemes(ADMIN_BASIC, new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP)
                        .scheme("basic")
                        .description("spring.security.user.name / spring.security.user.password")))
                .addSecurityItem(new SecurityRequirement().addList(ADMIN_BASIC));
    }
}
