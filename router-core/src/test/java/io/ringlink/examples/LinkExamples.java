package io.ringlink.examples;

import io.ringlink.Link;
import io.ringlink.Linker;
import io.ringlink.RingLink;
import io.ringlink.Sink;
import io.ringlink.WaitStrategy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;

/**
 * The examples quoted in {@code docs/guide-link.md}, kept compiling and run by {@code LinkExamplesTest}. Each method
 * is one example; the text between the {@code // example:} markers is what the guide shows.
 */
public final class LinkExamples
{
    private LinkExamples()
    {
    }

    static List<Object> queues() throws InterruptedException
    {
        // example: queues
        BlockingQueue<String> in = new LinkedBlockingQueue<>();
        BlockingQueue<String> a = new LinkedBlockingQueue<>();
        BlockingQueue<String> b = new LinkedBlockingQueue<>();
        Link link = RingLink.link(in, a, b);      // every destination gets every message
        in.put("hello");
        link.close();                             // delivers what was already taken, closes what it opened
        // end
        return List.of(a.take(), b.take());
    }

    static Object consumerAndSink() throws InterruptedException
    {
        // example: consumer
        BlockingQueue<String> in = new LinkedBlockingQueue<>();
        Consumer<String> print = (message) -> System.out.println("got " + message);
        Sink<String> custom = new Sink<>()
        {
            @Override
            public void onMessage(final String message)
            {
                System.out.println("sink " + message);
            }
        };
        Link link = RingLink.link(in, print, custom);
        in.put("hello");
        link.close();
        // end
        return in.isEmpty();
    }

    static String streams() throws InterruptedException
    {
        // example: streams
        ByteArrayInputStream in = new ByteArrayInputStream("one\ntwo\n".getBytes(StandardCharsets.UTF_8));
        StringWriter out = new StringWriter();
        Link link = RingLink.link(in, out, System.out); // lines without terminators; one line per message out
        link.awaitCompletion(Duration.ofSeconds(10));   // the stream ended: everything is delivered
        // end
        return out.toString();
    }

    /** Compiled, not run here: the test JVM's stdin belongs to surefire. {@code StdioLinkTest} runs it in a child. */
    static boolean stdio() throws InterruptedException
    {
        // example: stdio
        Link cat = RingLink.link("-", "-");                      // stdin lines to stdout, like cat
        boolean done = cat.awaitCompletion(Duration.ofHours(1)); // true once stdin ends and all is written
        // end
        return done;
    }

    static Object readerToQueue() throws InterruptedException
    {
        // example: reader
        BlockingQueue<Object> lines = new LinkedBlockingQueue<>();
        RingLink.link(new StringReader("a😂\r\nb"), lines).awaitCompletion(Duration.ofSeconds(10));
        // end
        return List.copyOf(lines);
    }

    static Path files(final Path dir) throws InterruptedException
    {
        // example: files
        Path log = dir.resolve("log.txt");
        BlockingQueue<String> events = new LinkedBlockingQueue<>();
        Link link = RingLink.link(events, log);            // appends; created 0600; truncate(true) to empty it
        events.add("started");
        link.close();

        BlockingQueue<Object> copy = new LinkedBlockingQueue<>();
        RingLink.link(log, copy).awaitCompletion(Duration.ofSeconds(10)); // a file's lines to its end
        Link tail = RingLink.linker().follow(true).link(log.toFile(), copy); // like tail -f, until stopped
        tail.stop();
        // end
        return log;
    }

    static Object followReopenBytes(final Path dir) throws IOException, InterruptedException
    {
        // example: follow
        Path app = dir.resolve("app.log");
        Files.write(app, List.of("one"));
        BlockingQueue<Object> lines = new LinkedBlockingQueue<>();
        Link tailF = RingLink.link("file:" + app + "?follow=name", lines);           // like tail -F
        Link jobs = RingLink.link("fifo:" + dir.resolve("jobs") + "?reopen", lines); // writers come and go
        Link copy = RingLink.link("file:" + app + "?lines=raw", "file:" + dir.resolve("copy.log")); // bytes as is
        copy.awaitCompletion(Duration.ofSeconds(10));
        Object first = lines.take();
        tailF.stop();
        jobs.stop();
        // end
        return first;
    }

    static Object processes(final Path dir) throws IOException, InterruptedException
    {
        // example: processes
        Process ls = new ProcessBuilder("echo", "a😂").start();
        BlockingQueue<Object> out = new LinkedBlockingQueue<>();
        RingLink.linker().stderr(true).link(ls, out).awaitCompletion(Duration.ofSeconds(10)); // stdout (+ stderr)

        Process sort = new ProcessBuilder("sh", "-c", "sort > " + dir.resolve("sorted.txt")).start();
        RingLink.link(new StringReader("b\na\n"), sort).awaitCompletion(Duration.ofSeconds(10)); // its stdin,
        sort.waitFor();                                                                        // closed at the end
        // end
        return out.take();
    }

    static Object channels() throws IOException, InterruptedException
    {
        // example: channels
        Pipe pipe = Pipe.open();
        BlockingQueue<String> in = new LinkedBlockingQueue<>();
        BlockingQueue<Object> out = new LinkedBlockingQueue<>();
        Link writer = RingLink.link(in, pipe.sink());     // the caller's channels stay open...
        Link reader = RingLink.link(pipe.source(), out);
        in.put("through a pipe");
        Object received = out.take();
        writer.close();
        pipe.sink().close();                              // ...so the caller ends the pipe
        reader.awaitCompletion(Duration.ofSeconds(10));
        pipe.source().close();
        // end
        return received;
    }

    static Object uris(final Path dir) throws InterruptedException
    {
        // example: uris
        String fifo = "fifo:" + dir.resolve("pipe");             // made with mkfifo, removed on close
        BlockingQueue<String> in = new LinkedBlockingQueue<>();
        BlockingQueue<Object> out = new LinkedBlockingQueue<>();
        Link writer = RingLink.link(in, fifo, "file:" + dir.resolve("copy.txt"));
        Link reader = RingLink.link(fifo + "?maxLine=4096", out);  // opens wait for the peer on the pump thread
        in.put("over a named pipe");
        Object first = out.take();
        writer.close();                                             // the reader sees the end and completes
        reader.awaitCompletion(Duration.ofSeconds(10));
        // end
        return first;
    }

    static List<Object> options(final Path dir) throws IOException, InterruptedException
    {
        // example: options
        Linker linker = RingLink.linker()
            .name("ingest")
            .waitStrategy(WaitStrategy.BLOCKING)
            .ringSize(4096)
            .charset(StandardCharsets.ISO_8859_1)
            .maxLineLength(80, Linker.LongLines.SPLIT)   // or REJECT: the source fails
            .malformed(Linker.Malformed.REPLACE)        // or REPORT: the source fails
            .stopTimeout(Duration.ofSeconds(2));
        BlockingQueue<Object> out = new LinkedBlockingQueue<>();
        Link link = linker.linkAll(List.of(new StringReader("a\n"), new StringReader("b\n")), out); // many to one
        link.awaitCompletion(Duration.ofSeconds(10));
        link.failure().ifPresent(Throwable::printStackTrace);
        // end
        return List.copyOf(out);
    }
}
