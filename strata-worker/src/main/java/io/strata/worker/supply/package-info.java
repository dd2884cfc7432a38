/**
 * Supply-chain documents of a built image (docs/supply-chain.md): the CycloneDX SBOM (its OS
 * packages, the files the build's own layers add, the pinned parents, the source commit), the
 * in-toto statement with a SLSA provenance v1 predicate, DSSE signing with an ECDSA P-256 key, and
 * the checks {@code strata verify} runs on what it fetches from the registry.
 */
package io.strata.worker.supply;
