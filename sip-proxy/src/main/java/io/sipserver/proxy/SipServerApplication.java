package io.sipserver.proxy;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
@SpringBootApplication(scanBasePackages = "io.sipserver")
public class SipServerApplication { public static void main(String[] a){ SpringApplication.run(SipServerApplication.class,a);} }
