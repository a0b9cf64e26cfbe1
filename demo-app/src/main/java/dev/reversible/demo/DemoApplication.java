package dev.reversible.demo;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.core.task.support.ContextPropagatingTaskDecorator;
import org.springframework.scheduling.annotation.EnableAsync;

/**
 * The order-placement demo: {@code POST /orders} creates the order, reserves stock, charges the customer's
 * account, books a shipment and confirms the order as one saga; when a step fails, the steps already done are compensated and the
 * rollback shows on {@code /actuator/reversible}; the durable journal compensates a saga interrupted by a crash
 * after the restart ({@code --demo.chaos.crash-after=chargeAccount} shows it).
 *
 * <pre>{@code
 * ./mvnw -pl demo-app -am spring-boot:run
 * curl -i -X POST localhost:8080/orders -H 'Content-Type: application/json' \
 *      -d '{"customer":"alice","sku":"BOOK-1","quantity":2,"country":"DE"}'
 * }</pre>
 */
@SpringBootApplication
@ConfigurationPropertiesScan
@EnableAsync
public class DemoApplication {

    /**
     * Boot applies this decorator to its task executor: an {@code @Async} call made inside a saga runs
     * with the saga's context, so the steps it starts join that saga.
     * @return the decorator
     */
    // tag::contextPropagation[]
    @Bean
    ContextPropagatingTaskDecorator contextPropagatingTaskDecorator() {
        return new ContextPropagatingTaskDecorator();
    }
    // end::contextPropagation[]

    /**
     * Starts the demo on port 8080, on an H2 file database under {@code ./data} (PostgreSQL with the
     * {@code postgres} profile), with every saga journaled there and recovered after a crash.
     * @param args Spring Boot's usual command-line arguments
     */
    public static void main(String[] args) {
        SpringApplication.run(DemoApplication.class, args);
    }
}
