// ANPR client used by the entry gates (bean is a singleton, WebClient built once)
@Configuration
class AnprClientConfig {

    @Bean
    WebClient anprWebClient(@Value("${anpr.base-url}") String baseUrl) {
        HttpClient netty = HttpClient.create()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 2_000)
                .responseTimeout(Duration.ofSeconds(4));
        return WebClient.builder()
                .baseUrl(baseUrl)
                .clientConnector(new ReactorClientHttpConnector(netty))
                .build();
    }
}

@Service
class PlateRecognitionClient {

    private final WebClient anpr;

    PlateRecognitionClient(WebClient anprWebClient) {
        this.anpr = anprWebClient;
    }

    Mono<PlateRead> recognize(String gateId, byte[] jpeg) {
        return anpr.post()
                .uri("/v3/recognize?gate={gate}", gateId)
                .contentType(MediaType.IMAGE_JPEG)
                .bodyValue(jpeg)
                .retrieve()
                .bodyToMono(PlateRead.class)
                .retryWhen(Retry.backoff(3, Duration.ofMillis(200))
                        .maxBackoff(Duration.ofSeconds(2))
                        .jitter(0.5)
                        .filter(ex -> ex instanceof WebClientRequestException));
    }
}
