package dev.reversible.spring.jdbc;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.beans.factory.annotation.Qualifier;

/**
 * Marks the {@code DataSource} the saga journal uses, when it is not the application's own — as Boot's
 * {@code @FlywayDataSource} does for Flyway. Without one, the journal uses the application's
 * {@code DataSource}.
 *
 * <pre>{@code
 * @Bean
 * @ReversibleDataSource
 * DataSource journalDataSource() {
 *     return DataSourceBuilder.create().url("jdbc:postgresql://db/journal").build();
 * }
 * }</pre>
 */
@Target({ ElementType.FIELD, ElementType.METHOD, ElementType.PARAMETER, ElementType.TYPE, ElementType.ANNOTATION_TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Qualifier
public @interface ReversibleDataSource {
}
