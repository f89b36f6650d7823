package dev.cnnlab.function;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A minimal HTTP/1.1 client on a plain socket, for requests no ordinary client sends: chunked
 * bodies, missing or lying headers. One request per connection.
 */
final class RawHttp {
    private RawHttp() {
    }

    /** A request; {@code headers} are sent as given, plus Host and Connection. */
    record Request(String path, Map<String, String> headers, byte[] body, Framing framing) {
    }

    /** How the body is delimited. */
    enum Framing {
        /** Content-Length: body length. */
        LENGTH,
        /** Transfer-Encoding: chunked, in 8 KB chunks. */
        CHUNKED,
        /** Whatever the headers say (the test declares its own Content-Length, or none). */
        AS_DECLARED
    }

    /** The answer; header names are lower case. */
    record Answer(int status, Map<String, String> headers, String body) {
    }

    static Answer send(int port, Request r) throws IOException {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            StringBuilder head = new StringBuilder("POST " + r.path() + " HTTP/1.1\r\n")
                    .append("Host: localhost\r\nConnection: close\r\n");
            r.headers().forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            if (r.framing() == Framing.LENGTH) {
                head.append("Content-Length: ").append(r.body().length).append("\r\n");
            } else if (r.framing() == Framing.CHUNKED) {
                head.append("Transfer-Encoding: chunked\r\n");
            }
            head.append("\r\n");
            try {
                out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
                writeBody(out, r);
                out.flush();
            } catch (SocketException e) {
                // the server may answer and close before it has read all of an oversize body;
                // its answer is still there to read
            }
            return read(socket.getInputStream());
        }
    }

    private static void writeBody(OutputStream out, Request r) throws IOException {
        if (r.framing() != Framing.CHUNKED) {
            out.write(r.body());
            return;
        }
        byte[] b = r.body();
        for (int off = 0; off < b.length; off += 8192) {
            int n = Math.min(8192, b.length - off);
            out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(b, off, n);
            out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    }

    static Answer read(InputStream in) throws IOException {
        String statusLine = line(in);
        while (statusLine.startsWith("HTTP/1.1 100")) {
            line(in);
            statusLine = line(in);
        }
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2) {
            throw new IOException("no HTTP answer, got '" + statusLine + "'");
        }
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h = line(in); !h.isEmpty(); h = line(in)) {
            int colon = h.indexOf(':');
            headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                    h.substring(colon + 1).trim());
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (headers.containsKey("content-length")) {
            body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
        } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            for (int n = Integer.parseInt(line(in), 16); n > 0; n = Integer.parseInt(line(in), 16)) {
                body.write(in.readNBytes(n));
                line(in);
            }
        } else {
            in.transferTo(body);
        }
        return new Answer(Integer.parseInt(parts[1]), headers,
                body.toString(StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c < 0) {
                throw new IOException("connection closed mid-answer after '" + sb + "'");
            }
            if (c != '\r') {
                sb.append((char) c);
            }
        }
        return sb.toString();
    }
}
