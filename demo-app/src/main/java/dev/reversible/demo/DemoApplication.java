package dev.reversible.demo;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The order-placement demo: {@code POST /orders} reserves stock, charges the customer's account and
 * books a shipment as one saga; when a step fails, the steps already done are compensated and the
 * rollback shows on {@code /actuator/reversible}.
 *
 * <pre>{@code
 * ./mvnw -pl demo-app -am spring-boot:run
 * curl -i -X POST localhost:8080/orders -H 'Content-Type: application/json' \
 *      -d '{"customer":"alice","sku":"BOOK-1","quantity":2,"country":"DE"}'
 * }</pre>
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class DemoApplication {

    /**
     * Starts the demo on port 8080, on an embedded H2 database (PostgreSQL with the {@code postgres} profile).
     * @param args Spring Boot's usual command-line arguments
     */
    public static void main(String[] args) {
        SpringApplication.run(DemoApplication.class, args);
    }
}
