package io.strata.worker.git;

import java.net.URI;
import java.nio.file.Path;

/** A checkout in a process of its own, for tests of several processes sharing one cache: URI REF DIR CACHE-ROOT. */
public final class CheckoutProcessMain {
    private CheckoutProcessMain() {}

    public static void main(String[] args) throws Exception {
        CheckedOutSource source = new GitCheckout(URI.create(args[0]), args[1], Path.of(args[2]), Path.of(args[3])).call();
        System.out.println(source.commitId());
    }
}
