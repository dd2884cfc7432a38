package io.strata.worker.network;

import io.strata.core.StrataException;
import io.strata.core.build.BuildId;
import io.strata.core.request.NetworkPolicy;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The network namespace of one allowlist or open build, with a veth pair into it and iptables
 * rules on the host end, where RUN steps (running inside the namespace) cannot change them:
 * allowlist accepts TCP to exactly the resolved endpoints and rejects everything else at once (TCP
 * reset, ICMP admin-prohibited: a refusal, not a hang); open accepts everything. Traffic leaving
 * the host is masqueraded. {@link #close()} and {@link #removeOf(BuildId)} remove all of it,
 * found by name.
 *
 * <p>Addresses: a /30 of {@value #POOL}.0.0/16 per build, chosen from the build id and skipped
 * while this machine already uses it.
 */
public final class BuildNetwork implements AutoCloseable {
    static final String POOL = "10.253";
    private static final int BLOCKS = 16384;

    private final NetworkNames names;
    /** The rules {@link #setUp} added, once all were added: {@link #close()} deletes exactly these. */
    private volatile String rulesAdded;

    private BuildNetwork(NetworkNames names) {
        this.names = names;
    }

    /** Creates the namespace, links and rules for {@code grant} (allowlist or open); removes what it made if it fails. */
    public static BuildNetwork create(BuildId id, NetworkGrant grant) throws StrataException {
        if (grant.policy() == NetworkPolicy.NONE) {
            throw new IllegalArgumentException("policy none needs no namespace of Strata's");
        }
        NetworkNames names = NetworkNames.of(id);
        BuildNetwork network = new BuildNetwork(names);
        try {
            network.setUp(id, grant);
            return network;
        } catch (IOException e) {
            network.close();
            throw new StrataException("NETWORK_SETUP_FAILED", "cannot set up the network namespace " + names.namespace()
                    + " of build " + id + " (policy " + grant.policy() + "): " + e.getMessage(),
                    "run Strata as root with ip (iproute2) and iptables installed; or build with network_policy none", e);
        }
    }

    /**
     * Why replies from some allowed addresses would never reach the build: a reply to a
     * masqueraded connection is forwarded from the link it arrives on, so that link must forward
     * ({@code net.ipv4.conf.LINK.forwarding}); Strata switches it on only for the build's own link.
     * Addresses of this machine itself need nothing. Empty when every route forwards.
     */
    public static List<String> forwardingWarnings(NetworkGrant grant) {
        // For open, an address of no one (TEST-NET-1, only looked up, never contacted) stands for the default route.
        List<String> addresses = grant.policy() == NetworkPolicy.OPEN ? List.of("192.0.2.1")
                : grant.allowed().stream().map(AllowedEndpoint::address).distinct().toList();
        java.util.Map<String, List<String>> byLink = new java.util.TreeMap<>();
        Set<String> local;
        try {
            local = addressesOfThisMachine();
        } catch (IOException e) {
            local = Set.of();
        }
        for (String address : addresses) {
            if (local.contains(address) || address.startsWith("127.")) {
                continue; // a local route, which `ip route get` would name "local": nothing to forward, no process to ask
            }
            try {
                String route = HostCommands.require(List.of("ip", "-o", "route", "get", address));
                if (route.startsWith("local ")) {
                    continue;
                }
                var link = java.util.regex.Pattern.compile("\\bdev (\\S+)").matcher(route);
                if (link.find() && "0".equals(Files.readString(Path.of("/proc/sys/net/ipv4/conf", link.group(1),
                        "forwarding")).strip())) {
                    byLink.computeIfAbsent(link.group(1), k -> new ArrayList<>())
                            .add(grant.policy() == NetworkPolicy.OPEN ? "anything beyond this machine" : address);
                }
            } catch (IOException unknown) {
                // no route, or no such link: the connection fails at once anyway
            }
        }
        List<String> warnings = new ArrayList<>();
        byLink.forEach((link, unreachable) -> warnings.add("warning: RUN steps get no replies from "
                + String.join(", ", unreachable) + ": " + link + " does not forward (net.ipv4.conf." + link
                + ".forwarding = 0); set net.ipv4.ip_forward = 1 on this machine (docs/network.md)"));
        return warnings;
    }

    /** The command prefix that runs a program inside the build's namespace. */
    public List<String> prefix() {
        return List.of("ip", "netns", "exec", names.namespace());
    }

    public NetworkNames names() {
        return names;
    }

    /** The rules this network added (an {@code iptables-restore} batch), once all were: for tests. */
    Optional<String> rulesAdded() {
        return Optional.ofNullable(rulesAdded);
    }

    /**
     * The rules' process and the links' two run side by side, since the set-up is on the build's critical
     * path (each command is a process of 10-30 ms on a host busy with the build's other steps): this thread
     * starts the links' first {@code ip -batch} and {@code iptables-restore} (rules name the host link, which
     * need not exist yet), makes the namespace's side once the host's exists, then waits for the rules. One
     * thread, not two: the second used to be a virtual thread, and with both carriers busy with the checkout
     * and the registry calls begun ahead it once waited 28 ms before its first process started. Nothing
     * passes before all are done: the build's RUN steps start only after this returns.
     *
     * <p>Whatever an earlier run of this build left is removed first, but only when the build's namespace
     * or host link exists ({@code iptables-save} alone takes 20-40 ms here). Without them, an earlier run
     * can have left at most rules (it died between its rules and its links, or removed its links but not
     * its rules): adding the rules again empties and refills the build's chain, doubles only its jumps,
     * which are identical and harmless, and {@link #close()} removes every rule that names the namespace.
     * The reconcile of a dead build removes all of it anyway ({@link #removeOf}).
     */
    private void setUp(BuildId id, NetworkGrant grant) throws IOException {
        if (leftOver(names)) {
            removeOf(id);
        }
        Subnet subnet = freeSubnet(id);
        // The links' first process first: theirs is the longer chain.
        HostCommands.Started hostSide = HostCommands.start(List.of("ip", "-batch", "-"), hostSide(subnet));
        String ruleBatch = rules(grant, subnet);
        HostCommands.Started rules;
        try {
            rules = HostCommands.start(List.of("iptables-restore", "--noflush"), ruleBatch);
        } catch (IOException e) {
            awaitAfterFailure(hostSide, e);
            throw e;
        }
        try {
            hostSide.require();
            namespaceSide(subnet);
        } catch (IOException | RuntimeException e) {
            // Nothing of the set-up outlives it: the caller removes the network next, rules included.
            awaitAfterFailure(rules, e);
            throw e;
        }
        rules.require();
        rulesAdded = ruleBatch;
    }

    /** Waits for {@code started} after {@code failure}; what waiting for it throws is added to the failure, not thrown. */
    private static void awaitAfterFailure(HostCommands.Started started, Exception failure) {
        try {
            started.finish();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    /** Whether the namespace or the host link of {@code names} exists (what only a run of the build makes). */
    private static boolean leftOver(NetworkNames names) {
        return hasHostLink(names) || hasNamespace(names);
    }

    private static boolean hasHostLink(NetworkNames names) {
        return Files.exists(Path.of("/sys/class/net", names.hostLink()));
    }

    private static boolean hasNamespace(NetworkNames names) {
        return Files.exists(Path.of("/run/netns", names.namespace()));
    }

    /**
     * The host's side of the links, for one {@code ip -batch}: the namespace, the veth pair with its
     * build end inside, the host end's address. One process per side and one for the rules, not one
     * per command: on a loaded host each process start costs tens of milliseconds.
     */
    private String hostSide(Subnet subnet) {
        return String.join("\n",
                "netns add " + names.namespace(),
                "link add " + names.hostLink() + " type veth peer name " + NetworkNames.BUILD_LINK + " netns " + names.namespace(),
                "addr add " + subnet.address(1) + "/30 dev " + names.hostLink(),
                "link set " + names.hostLink() + " up") + "\n";
    }

    /** The namespace's side, once the host's exists: its loopback, the build end's address, its default route. */
    private void namespaceSide(Subnet subnet) throws IOException {
        HostCommands.require(List.of("ip", "-n", names.namespace(), "-batch", "-"), String.join("\n",
                "link set lo up",
                "addr add " + subnet.address(2) + "/30 dev " + NetworkNames.BUILD_LINK,
                "link set " + NetworkNames.BUILD_LINK + " up",
                "route add default via " + subnet.address(1)) + "\n");
        // Forwarding for what arrives from this build only; the rules decide what passes.
        Files.writeString(Path.of("/proc/sys/net/ipv4/conf", names.hostLink(), "forwarding"), "1");
    }

    /** The build's rules, for one {@code iptables-restore --noflush}: all there or none is, and everyone else's kept. */
    private String rules(NetworkGrant grant, Subnet subnet) {
        String ns = names.namespace();
        String host = names.hostLink();
        List<String> filter = new ArrayList<>(List.of("*filter", ":" + names.chain() + " - [0:0]"));
        if (grant.policy() == NetworkPolicy.OPEN) {
            filter.add("-A " + names.chain() + " -j ACCEPT");
        } else {
            for (AllowedEndpoint endpoint : grant.allowed()) {
                filter.add("-A " + names.chain() + " -p tcp -d " + endpoint.address() + " --dport " + endpoint.port()
                        + " -j ACCEPT");
            }
            filter.add("-A " + names.chain() + " -p tcp -j REJECT --reject-with tcp-reset");
            filter.add("-A " + names.chain() + " -j REJECT --reject-with icmp-admin-prohibited");
        }
        // First in the built-in chains: what a build sends goes through its own chain and nowhere else.
        filter.add("-I INPUT 1 -i " + host + " -m comment --comment " + ns + " -j " + names.chain());
        filter.add("-I FORWARD 1 -i " + host + " -m comment --comment " + ns + " -j " + names.chain());
        filter.add("-I FORWARD 1 -o " + host + " -m conntrack --ctstate ESTABLISHED,RELATED -m comment --comment " + ns
                + " -j ACCEPT");
        filter.add("COMMIT");
        List<String> nat = List.of("*nat", "-A POSTROUTING -s " + subnet.address(0) + "/30 ! -o " + host
                + " -m comment --comment " + ns + " -j MASQUERADE", "COMMIT");
        return String.join("\n", filter) + "\n" + String.join("\n", nat) + "\n";
    }

    /** A /30 of the pool: {@code address(1)} is the host end, {@code address(2)} the build's. */
    record Subnet(int third, int fourth) {
        String address(int offset) {
            return POOL + "." + third + "." + (fourth + offset);
        }
    }

    /**
     * A /30 in which no interface of this machine (up or down) has an address. Read in the JVM, as
     * {@code ip -4 addr show} would print them, without its process.
     */
    private static Subnet freeSubnet(BuildId id) throws IOException {
        Set<String> used = addressesOfThisMachine();
        int start = Math.floorMod(id.value().hashCode(), BLOCKS);
        for (int i = 0; i < BLOCKS; i++) {
            int block = (start + i) % BLOCKS;
            Subnet subnet = new Subnet(block >> 6, (block & 63) << 2);
            if (java.util.stream.IntStream.range(0, 4).mapToObj(subnet::address).noneMatch(used::contains)) {
                return subnet;
            }
        }
        throw new IOException("every /30 of " + POOL + ".0.0/16 is in use on this machine");
    }

    /** The IPv4 addresses of every interface of this machine, down ones included. */
    private static Set<String> addressesOfThisMachine() throws IOException {
        try {
            return NetworkInterface.networkInterfaces().flatMap(NetworkInterface::inetAddresses)
                    .filter(Inet4Address.class::isInstance).map(InetAddress::getHostAddress).collect(Collectors.toSet());
        } catch (SocketException e) {
            throw new IOException("cannot list this machine's network interfaces: " + e.getMessage(), e);
        }
    }

    /** Removes the namespace, links and rules; the rules this network added are deleted without looking for them first. */
    @Override
    public void close() {
        remove(names, Optional.ofNullable(rulesAdded));
    }

    /**
     * Removes whatever of build {@code id}'s network exists: rules, chain, link, namespace. Safe to
     * call for a build that has none, and when the commands are missing or not permitted.
     *
     * @return whether anything was removed
     */
    public static boolean removeOf(BuildId id) {
        return remove(NetworkNames.of(id), Optional.empty());
    }

    /**
     * The links' removal and the rules' run side by side, as in the set-up: they do not depend on each other
     * (a rule naming a link that is gone matches nothing), and each is a kernel transaction of 25-50 ms here
     * ({@code ip link del} waits for RCU grace periods, an nf_tables commit too). One after the other they took
     * 70-90 ms, longer than the small build's push they overlap, so tag_and_push waited for them.
     */
    private static boolean remove(NetworkNames names, Optional<String> rulesAdded) {
        // The host end goes with the namespace, but only once the kernel gets round to it; removed now, it is gone now.
        List<String> links = new ArrayList<>();
        if (hasHostLink(names)) {
            links.add("link del " + names.hostLink());
        }
        if (hasNamespace(names)) {
            links.add("netns del " + names.namespace());
        }
        HostCommands.Started linksRemoval = null;
        boolean removed = false;
        if (!links.isEmpty()) {
            try {
                linksRemoval = HostCommands.start(List.of("ip", "-force", "-batch", "-"), String.join("\n", links) + "\n");
            } catch (IOException e) {
                // ip cannot run: nothing of the links can be removed, as quietly as before
            }
            removed = true;
        }
        // The rules a network knows it added are deleted in one transaction, without an iptables-save (a process of
        // 5-7 ms of CPU, 20-40 ms beside a build here) to find them; when that is refused (a rule gone, or doubled
        // meanwhile) they are looked for.
        if (rulesAdded.isPresent() && quietly(List.of("iptables-restore", "--noflush"), deletionsOf(rulesAdded.get(), names))) {
            removed = true;
        } else {
            removed |= removeRules(names);
        }
        if (linksRemoval != null) {
            try {
                linksRemoval.finish();
            } catch (IOException e) {
                // removal is quiet: what is left, the next build's set-up or the dead build's reconcile removes
            }
        }
        return removed;
    }

    /**
     * The {@code iptables-restore --noflush} batch that deletes what {@code rules} (a batch {@link #rules} made) added:
     * each rule inserted into or appended to a built-in chain deleted by its specification, the build's own chain
     * emptied and deleted. All or nothing: a rule not there, or the chain still named by another rule, refuses it.
     */
    static String deletionsOf(String rules, NetworkNames names) {
        StringBuilder batch = new StringBuilder();
        String table = "";
        for (String line : rules.lines().toList()) {
            String[] words = line.split(" ", 4);
            if (line.startsWith("*")) {
                table = line.substring(1);
                batch.append(line).append('\n');
            } else if (line.equals("COMMIT")) {
                if (table.equals("filter")) {
                    batch.append("-F ").append(names.chain()).append("\n-X ").append(names.chain()).append('\n');
                }
                batch.append(line).append('\n');
            } else if (words[0].equals("-A") && !words[1].equals(names.chain())) {
                batch.append("-D ").append(line.substring(3)).append('\n');
            } else if (words[0].equals("-I") && words.length == 4) {
                batch.append("-D ").append(words[1]).append(' ').append(words[3]).append('\n'); // without the position
            }
            // the chain's declaration and its own rules go with its -F and -X
        }
        return batch.toString();
    }

    /**
     * The build's rules (found by the namespace in their comment) and its chain, read with one
     * {@code iptables-save} and removed in one {@code iptables-restore} transaction; when that is
     * refused (a rule changed meanwhile, an xtables lock held), one {@code iptables} per rule.
     */
    private static boolean removeRules(NetworkNames names) {
        Map<String, List<String>> rules = new java.util.LinkedHashMap<>();
        boolean chain = false;
        String table = "";
        for (String line : savedRules()) {
            if (line.startsWith("*")) {
                table = line.substring(1);
            } else if (line.startsWith("-A ") && line.contains("--comment " + names.namespace() + " ")) {
                rules.computeIfAbsent(table, k -> new ArrayList<>()).add(line.substring(3));
            } else if (table.equals("filter") && line.startsWith(":" + names.chain() + " ")) {
                chain = true;
            }
        }
        if (rules.isEmpty() && !chain) {
            return false;
        }
        StringBuilder batch = new StringBuilder();
        for (String name : List.of("filter", "nat")) {
            batch.append('*').append(name).append('\n');
            rules.getOrDefault(name, List.of()).forEach(rule -> batch.append("-D ").append(rule).append('\n'));
            if (name.equals("filter") && chain) {
                batch.append("-F ").append(names.chain()).append("\n-X ").append(names.chain()).append('\n');
            }
            batch.append("COMMIT\n");
        }
        if (quietly(List.of("iptables-restore", "--noflush"), batch.toString())) {
            return true;
        }
        boolean removed = false;
        for (var entry : rules.entrySet()) {
            for (String rule : entry.getValue()) {
                List<String> command = new ArrayList<>(List.of("iptables", "-w", "-t", entry.getKey(), "-D"));
                command.addAll(List.of(rule.split(" ")));
                removed |= quietly(command);
            }
        }
        if (quietly(List.of("iptables", "-w", "-F", names.chain()))) {
            removed |= quietly(List.of("iptables", "-w", "-X", names.chain()));
        }
        return removed;
    }

    /** Every table's rules as {@code iptables-save} prints them; none when it cannot run. */
    private static List<String> savedRules() {
        try {
            HostCommands.Result result = HostCommands.run(List.of("iptables-save"));
            return result.succeeded() ? result.output().lines().toList() : List.of();
        } catch (IOException e) {
            return List.of();
        }
    }

    private static boolean quietly(List<String> command) {
        return quietly(command, null);
    }

    private static boolean quietly(List<String> command, String input) {
        try {
            return HostCommands.run(command, input).succeeded();
        } catch (IOException e) {
            return false;
        }
    }
}
