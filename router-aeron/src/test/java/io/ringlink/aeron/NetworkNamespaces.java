package io.ringlink.aeron;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Two hosts on one machine: two network namespaces joined by a veth pair, with 10.x addresses inside the namespaces
 * only (nothing is added to this host's own namespace). Names are unique per process and call
 * ({@code rl-<pid>-<n>-a}/{@code -b}); {@link #close()} deletes both namespaces, which removes the veth pair too.
 * Needs root and {@code ip} from iproute2: {@link #create()} fails with a plain message when {@code ip netns} is not
 * usable, so a test that needs it fails rather than passing silently.
 */
public final class NetworkNamespaces implements AutoCloseable
{
    private static final AtomicInteger NEXT = new AtomicInteger();

    private final String a;
    private final String b;
    private final String addressA;
    private final String addressB;

    private NetworkNamespaces(final String a, final String b, final String addressA, final String addressB)
    {
        this.a = a;
        this.b = b;
        this.addressA = addressA;
        this.addressB = addressB;
    }

    /**
     * Creates the pair: namespace A with {@link #addressA()}, B with {@link #addressB()}, a /24 between them, the
     * veth ends and {@code lo} up in each, and a multicast route on each veth end.
     *
     * @return the namespaces; close them.
     * @throws IOException    if {@code ip netns} is unavailable or a step fails, saying which.
     * @throws InterruptedException if interrupted.
     */
    public static NetworkNamespaces create() throws IOException, InterruptedException
    {
        final long pid = ProcessHandle.current().pid();
        final int n = NEXT.incrementAndGet();
        final String prefix = "rl-" + pid + "-" + n;
        final String subnet = "10." + (100 + (int)(pid % 100)) + "." + (n % 250) + ".";
        final NetworkNamespaces pair = new NetworkNamespaces(prefix + "-a", prefix + "-b", subnet + "1",
            subnet + "2");
        try
        {
            run("ip netns is unavailable (needs root and iproute2's ip)", "ip", "netns", "add", pair.a);
            run("ip netns add failed", "ip", "netns", "add", pair.b);
            final String vethA = "rl" + pid + "x" + n + "a";
            final String vethB = "rl" + pid + "x" + n + "b";
            run("cannot create a veth pair between the namespaces", "ip", "link", "add", shorten(vethA), "netns",
                pair.a, "type", "veth", "peer", "name", shorten(vethB), "netns", pair.b);
            pair.setUp(pair.a, shorten(vethA), pair.addressA);
            pair.setUp(pair.b, shorten(vethB), pair.addressB);
            return pair;
        }
        catch (final IOException | InterruptedException | RuntimeException ex)
        {
            try
            {
                pair.close();
            }
            catch (final IOException closing)
            {
                ex.addSuppressed(closing);
            }
            throw ex;
        }
    }

    private static String shorten(final String name)
    {
        // Interface names are at most 15 characters.
        return name.length() <= 15 ? name : name.substring(name.length() - 15);
    }

    private void setUp(final String namespace, final String veth, final String address)
        throws IOException, InterruptedException
    {
        run("cannot address " + veth, "ip", "netns", "exec", namespace, "ip", "addr", "add", address + "/24", "dev",
            veth);
        run("cannot bring " + veth + " up", "ip", "netns", "exec", namespace, "ip", "link", "set", veth, "up");
        run("cannot bring lo up", "ip", "netns", "exec", namespace, "ip", "link", "set", "lo", "up");
        run("cannot add a multicast route", "ip", "netns", "exec", namespace, "ip", "route", "add", "224.0.0.0/4",
            "dev", veth);
    }

    /**
     * Namespace A's name (the sending host in the tests).
     *
     * @return the name.
     */
    public String a()
    {
        return a;
    }

    /**
     * Namespace B's name.
     *
     * @return the name.
     */
    public String b()
    {
        return b;
    }

    /**
     * A's address.
     *
     * @return the address.
     */
    public String addressA()
    {
        return addressA;
    }

    /**
     * B's address.
     *
     * @return the address.
     */
    public String addressB()
    {
        return addressB;
    }

    /**
     * A command run inside a namespace: {@code ip netns exec NAMESPACE command...}.
     *
     * @param namespace the namespace.
     * @param command   the command.
     * @return the full command.
     */
    public static List<String> inside(final String namespace, final List<String> command)
    {
        final List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(command);
        return full;
    }

    private static void run(final String what, final String... command) throws IOException, InterruptedException
    {
        final Process process;
        try
        {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        }
        catch (final IOException ex)
        {
            throw new IOException(what + ": cannot run " + String.join(" ", command) + ": " + ex.getMessage() +
                " (is iproute2 installed?)", ex);
        }
        final String output;
        try
        {
            output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        }
        finally
        {
            if (!process.waitFor(30, TimeUnit.SECONDS))
            {
                process.destroyForcibly();
            }
        }
        if (process.exitValue() != 0)
        {
            throw new IOException(what + ": '" + String.join(" ", command) + "' exited with " +
                process.exitValue() + ": " + output);
        }
    }

    /**
     * Deletes both namespaces (and with them the veth pair); never touches any other.
     */
    @Override
    public void close() throws IOException
    {
        IOException failure = null;
        boolean interrupted = false;
        for (final String namespace : new String[] {a, b})
        {
            try
            {
                if (exists(namespace))
                {
                    run("cannot delete namespace " + namespace, "ip", "netns", "delete", namespace);
                }
            }
            catch (final IOException ex)
            {
                failure = ex;
            }
            catch (final InterruptedException ex)
            {
                interrupted = true;
                namespaceLeft(namespace);
            }
        }
        if (interrupted)
        {
            Thread.currentThread().interrupt();
        }
        if (failure != null)
        {
            throw failure;
        }
    }

    private static void namespaceLeft(final String namespace)
    {
        try
        {
            new ProcessBuilder("ip", "netns", "delete", namespace).start();
        }
        catch (final IOException ex)
        {
            System.err.println("could not delete network namespace " + namespace + ": " + ex);
        }
    }

    private static boolean exists(final String namespace)
    {
        return java.nio.file.Files.exists(java.nio.file.Path.of("/var/run/netns", namespace));
    }
}
