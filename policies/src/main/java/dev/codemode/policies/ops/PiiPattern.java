package dev.codemode.policies.ops;

/**
 * A configured PII pattern: matches become tokens named after it ({@code [EMPLOYEE_ID_1]}).
 *
 * @param name upper-case token label
 * @param regex a Java regular expression
 */
public record PiiPattern(String name, String regex) {}
