package dev.reversible.test;

import dev.reversible.test.sample.BackgroundCaller;
import dev.reversible.test.sample.CarelessCaller;
import dev.reversible.test.sample.Gifts;
import dev.reversible.test.sample.Payments;
import dev.reversible.test.sample.Shipping;
import dev.reversible.test.sample.Shop;
import dev.reversible.test.sample.Stock;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.annotation.EnableAsync;

/** The sample application of the kit's tests. */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableAsync
@Import({ Stock.class, Payments.class, Shipping.class, Gifts.class, Shop.class, CarelessCaller.class, BackgroundCaller.class })
class ShopApplication {
}
