package io.sipserver.proxy;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** The SIP server: registrar, stateful proxy, admission control and media relay in one process. */
@SpringBootApplication(scanBasePackages = "io.sipserver")
@ConfigurationPropertiesScan("io.sipserver.config")
public class SipServerApplication {

    public static void main(String[] args) {
        SpringApplication.run(SipServerApplication.class, args);
    }
}
