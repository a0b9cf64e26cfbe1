package dev.reversible.spring.autoconfigure;

import java.util.Set;

import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The {@code reversible} endpoint's settings, beside Boot's own {@code management.endpoint.reversible.access},
 * following Boot's {@code env} endpoint: whether the exception messages of {@code recentRollbacks} are shown.
 *
 * <pre>{@code
 * management.endpoint.reversible.show-values=when-authorized
 * management.endpoint.reversible.roles=OPERATOR
 * }</pre>
 *
 * @param showValues When exception messages (which often carry customer data) are shown: 'never' (the class is shown, the message reads ******), 'when-authorized' or 'always'.
 * @param roles Roles that see the messages when show-values is 'when-authorized'; any authenticated user when empty.
 */
@ConfigurationProperties("management.endpoint.reversible")
public record ReversibleEndpointProperties(@DefaultValue("never") Show showValues, Set<String> roles) {

    /** An absent set means none. */
    public ReversibleEndpointProperties {
        roles = roles == null ? Set.of() : Set.copyOf(roles);
    }
}
