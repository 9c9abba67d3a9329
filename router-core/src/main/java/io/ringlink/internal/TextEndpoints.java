package io.ringlink.internal;

import io.ringlink.MessageHandler;
import io.ringlink.Sink;
import io.ringlink.Source;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;

/**
 * The char endpoints: a {@link Reader} read as lines and a {@link Writer} written a line per message.
 */
final class TextEndpoints
{
    private TextEndpoints()
    {
    }

    /**
     * Reads lines from a reader on the pump thread; closes it only if asked, and then only from the pump thread or
     * when no read is in progress (a reader's close waits on the lock a blocked read holds).
     */
    static final class ReaderSource implements Source<Object>
    {
        private final Reader reader;
        private final boolean owned;
        private final String name;
        private final char[] buffer;
        private final CharBuffer chars;
        private final LineSplitter lines;
        private volatile boolean closed;
        private volatile Thread reading;
        private boolean ended;

        ReaderSource(final Reader reader, final boolean owned, final String name, final EndpointOptions options)
        {
            this.reader = reader;
            this.owned = owned;
            this.name = name;
            this.buffer = new char[Math.min(options.chunkSize(), 8192)];
            this.chars = CharBuffer.wrap(buffer);
            this.lines = new LineSplitter(options.maxLineLength(), options.splitLongLines(), name);
        }

        @Override
        public int read(final MessageHandler<? super Object> handler, final int limit) throws IOException
        {
            if (ended || closed)
            {
                return END_OF_STREAM;
            }
            final int read;
            reading = Thread.currentThread();
            try
            {
                read = reader.read(buffer);
            }
            catch (final IOException ex)
            {
                if (closed)
                {
                    return END_OF_STREAM;
                }
                throw ex;
            }
            finally
            {
                reading = null;
            }
            if (read < 0)
            {
                ended = true;
                return lines.finish(handler);
            }
            chars.clear().limit(read);
            return lines.onChars(chars, handler);
        }

        @Override
        public Object endpoint()
        {
            return reader;
        }

        @Override
        public String name()
        {
            return name;
        }

        @Override
        public void close() throws IOException
        {
            closed = true;
            final Thread busy = reading;
            if (owned && (busy == null || busy == Thread.currentThread()))
            {
                reader.close();
            }
        }
    }

    /** Writes each message and a newline to a writer, flushing at the end of each batch. */
    static final class WriterSink implements Sink<Object>
    {
        private final Writer writer;
        private final boolean owned;
        private final String name;
        private final Charset charset;

        WriterSink(final Writer writer, final boolean owned, final String name, final EndpointOptions options)
        {
            this.writer = writer;
            this.owned = owned;
            this.name = name;
            this.charset = options.charset();
        }

        @Override
        public void onMessage(final Object message) throws IOException
        {
            if (message instanceof byte[])
            {
                writer.write(new String((byte[])message, charset));
                return;
            }
            if (message instanceof RawLines)
            {
                final RawLines lines = (RawLines)message;
                writer.write(new String(lines.bytes(), 0, lines.length(), charset));
                return;
            }
            if (message instanceof ByteBuffer)
            {
                writer.write(charset.decode(((ByteBuffer)message).duplicate()).toString());
                return;
            }
            if (message instanceof String)
            {
                writer.write((String)message);
            }
            else
            {
                writer.append(message instanceof CharSequence ? (CharSequence)message : String.valueOf(message));
            }
            writer.write('\n');
        }

        @Override
        public void onEndOfBatch() throws IOException
        {
            writer.flush();
        }

        @Override
        public Object endpoint()
        {
            return writer;
        }

        @Override
        public String name()
        {
            return name;
        }

        @Override
        public void close() throws IOException
        {
            if (owned)
            {
                writer.close();
            }
            else
            {
                writer.flush();
            }
        }
    }
}
