package dev.reversible.core;

/** Default step names, derived once per class from what a human would recognise. */
final class Names {

    private static final ClassValue<String> CLASS_NAMES = new ClassValue<>() {
        @Override
        protected String computeValue(Class<?> type) {
            String simple = type.getSimpleName();
            // Anonymous and lambda classes have no useful simple name.
            return (simple.isEmpty() || simple.contains("$$Lambda") || type.isSynthetic()) ? type.getName() : simple;
        }
    };

    private Names() {
    }

    static String ofClass(Class<?> type) {
        return CLASS_NAMES.get(type);
    }
}
