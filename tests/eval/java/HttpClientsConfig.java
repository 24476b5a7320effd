package com.example.config;

import java.time.Duration;
import org.springframework.boot.web.client.RestTemplateBuilder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.client.RestTemplate;

@Configuration
public class HttpClientsConfig {

    @Bean
    public RestTemplate paymentsRestTemplate(RestTemplateBuilder builder) {
        return builder
                .rootUri("https://payments.example.com")
                .setConnectTimeout(Duration.ofSeconds(2))
                .setReadTimeout(Duration.ofSeconds(10))
                .build();
    }

    @Bean
    public RestTemplate catalogRestTemplate() {
        return new RestTemplate();
    }
}
