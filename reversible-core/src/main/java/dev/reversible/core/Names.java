package dev.reversible.core;

/** Step names: the defaults, derived once per class from what a human would recognise, and a leaf's own. */
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

    /** @return the name of a journal leaf: an {@link Action} or an {@link AsyncAction} */
    static String ofStep(Object leaf) {
        return leaf instanceof Action<?> action ? action.name() : ((AsyncAction<?>) leaf).name();
    }
}
