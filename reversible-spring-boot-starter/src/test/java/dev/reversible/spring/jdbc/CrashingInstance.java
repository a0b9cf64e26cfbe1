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
 * The JVM that {@link ChildJvmCrashTests} kills: runs the order saga on the database named by its first
 * argument, prints {@code HOLDING} at the point named by the second — {@code ship} (the third step is
 * running) or {@code refund} (ship failed and was compensated, the charge's compensation is running) — and
 * waits there to be killed.
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
        if (args[1].equals("refund")) {
            Shipping.failure = new IllegalStateException("no courier");
            JournalTestApp.Payments.duringRefund = () -> {
                Shipping.holding.countDown();
                try {
                    new java.util.concurrent.CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
        } else {
            Shipping.hold = new java.util.concurrent.CountDownLatch(1);
        }
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
