package dev.codemode.policies;

import dev.codemode.policies.secrets.SecretTemplate;

/**
 * An allow rule's {@code sign: {aws_sigv4: …}}: the egress proxy signs each request the rule allows with
 * AWS Signature Version 4, after the guest built it; the keys never enter the sandbox.
 *
 * @param sessionToken null for long-lived keys
 */
public record SigV4Spec(String service, String region, SecretTemplate accessKeyId, SecretTemplate secretAccessKey,
    SecretTemplate sessionToken) {}
