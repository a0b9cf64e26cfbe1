package dev.reversible.jdbc;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * A failure as the journal stores it: text only. A serialized {@code Throwable} would break on the next
 * refactoring of an exception class and could instantiate arbitrary classes when read back.
 *
 * @param className the exception's class name
 * @param message its message, or null
 * @param stack its stack trace as printed by {@link Throwable#printStackTrace()}, shortened to
 *     {@link #MAX_STACK_LENGTH} characters; null when not known
 */
public record ErrorText(String className, String message, String stack) {

    /** Longest stack trace stored: enough for the cause chain, bounded so that a deep recursion cannot bloat a row. */
    public static final int MAX_STACK_LENGTH = 16_000;

    /**
     * @param failure an exception
     * @return its text, or null for null
     */
    public static ErrorText of(Throwable failure) {
        if (failure == null) {
            return null;
        }
        StringWriter stack = new StringWriter();
        failure.printStackTrace(new PrintWriter(stack));
        String text = stack.toString();
        if (text.length() > MAX_STACK_LENGTH) {
            text = text.substring(0, MAX_STACK_LENGTH);
        }
        return new ErrorText(failure.getClass().getName(), failure.getMessage(), text);
    }

    /**
     * @param reason why the journal itself gave up (a handler that no longer exists, arguments that no longer read)
     * @return a failure with that message and no stack
     */
    public static ErrorText reason(String reason) {
        return new ErrorText("dev.reversible.jdbc.Journal", reason, null);
    }
}
