package dev.reversible.spring.jdbc;

import java.util.concurrent.TimeUnit;

import dev.reversible.spring.autoconfigure.ReversibleAutoConfiguration;
import dev.reversible.spring.autoconfigure.ReversibleJdbcAutoConfiguration;
import dev.reversible.spring.jdbc.JournalTestApp.Orders;
import dev.reversible.spring.jdbc.JournalTestApp.Shipping;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The JVM that {@link ChildJvmCrashTests} kills: runs the order saga on the database named by its argument,
 * prints {@code HOLDING} once the third step is running, and waits there to be killed.
 */
public final class CrashingInstance {

    private CrashingInstance() {
    }

    public static void main(String[] args) throws Exception {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(App.class)
                .web(WebApplicationType.NONE)
                .properties("spring.datasource.url=" + args[0], "spring.datasource.generate-unique-name=false",
                        "reversible.jdbc.initialize-schema=always", "reversible.jdbc.heartbeat-interval=1h",
                        "reversible.jdbc.instance-timeout=2h", "reversible.jdbc.instance-name=crashing")
                .run();
        JournalTestApp.reset();
        Shipping.hold = new java.util.concurrent.CountDownLatch(1);
        Thread announcer = new Thread(() -> {
            try {
                if (Shipping.holding.await(30, TimeUnit.SECONDS)) {
                    System.out.println("HOLDING");
                    System.out.flush();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        announcer.setDaemon(true);
        announcer.start();
        context.getBean(Orders.class).place("sku-9");
        System.out.println("NOT KILLED");
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({ DataSourceAutoConfiguration.class, ReversibleAutoConfiguration.class, ReversibleJdbcAutoConfiguration.class })
    @Import(JournalTestApp.Shop.class)
    static class App {
    }
}
