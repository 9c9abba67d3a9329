package io.ringlink.cli;

import io.ringlink.Router;
import io.ringlink.Sink;
import io.ringlink.Source;
import io.ringlink.WaitStrategy;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code ringlink bench-echo PING PONG} (hidden): the second JVM of {@code ringlink bench}. Links PING to PONG
 * through a router until the bench ends it.
 */
@Command(name = BenchEchoCommand.NAME, hidden = true, description = "The echo JVM of 'ringlink bench'.")
final class BenchEchoCommand implements Callable<Integer>
{
    static final String NAME = "bench-echo";

    @Parameters(index = "0", paramLabel = "PING")
    String ping;

    @Parameters(index = "1", paramLabel = "PONG")
    String pong;

    @Option(names = "--wait", converter = WaitOption.class, defaultValue = "yielding")
    WaitStrategy wait;

    @Override
    public Integer call() throws Exception
    {
        final EndpointResolver resolver = new EndpointResolver(
            Map.of("codec", "longs", "wait", WaitOption.nameOf(wait)));
        final Sink<?> sink = resolver.sink(pong);
        final Source<?> source = resolver.source(ping);
        final Router<Object> router = Router.builder()
            .name("bench-echo")
            .waitStrategy(wait)
            .stopTimeout(Duration.ofSeconds(2))
            .build();
        Runtime.getRuntime().addShutdownHook(new Thread(router::close, "ringlink-bench-echo-stop"));
        router.write(sink);
        router.read(source);
        LinkCommand.awaitSourcesEnded(router);
        return Main.EXIT_OK;
    }
}
