/**
 * Ahead-of-time processing: the reflection and resource hints the starter needs at run time when the
 * application runs AOT-processed ({@code -Dspring.aot.enabled=true}) or as a native image.
 * {@link dev.reversible.spring.aot.ReversibleBeanRegistrationAotProcessor} looks at each bean class at build
 * time and registers its saga, action and {@code @Compensate} methods and its journal payload types;
 * {@link dev.reversible.spring.aot.ReversibleRuntimeHints} registers the starter's own resources. Both are
 * listed in {@code META-INF/spring/aot.factories}.
 */
package dev.reversible.spring.aot;
