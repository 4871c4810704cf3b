// SPDX-License-Identifier: Apache-2.0
package org.phigate.policy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/** An IPv4 or IPv6 network in CIDR notation ("10.0.0.0/8", "::1/128"); a bare address is a /32 or /128. */
public record Cidr(byte[] network, int prefixLength, String text) {

    public Cidr {
        Objects.requireNonNull(network, "network");
        network = network.clone();
    }

    /** @throws IllegalArgumentException naming the text, if it is not an address literal with a valid prefix */
    public static Cidr parse(String text) {
        String[] parts = text.trim().split("/", 2);
        if (!parts[0].matches("[0-9a-fA-F.:]+")) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address or CIDR network (host names are not allowed)");
        }
        try {
            byte[] address = InetAddress.getByName(parts[0]).getAddress();
            int max = address.length * 8;
            int prefix = parts.length == 2 ? Integer.parseInt(parts[1]) : max;
            if (prefix < 0 || prefix > max) {
                throw new IllegalArgumentException("'" + text + "' has a prefix length outside 0.." + max);
            }
            return new Cidr(address, prefix, text.trim());
        } catch (UnknownHostException | NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address or CIDR network", e);
        }
    }

    public boolean contains(InetAddress address) {
        byte[] candidate = address.getAddress();
        if (candidate.length != network.length) {
            return false;
        }
        int full = prefixLength / 8;
        for (int i = 0; i < full; i++) {
            if (candidate[i] != network[i]) {
                return false;
            }
        }
        int rest = prefixLength % 8;
        if (rest == 0) {
            return true;
        }
        int mask = 0xff << (8 - rest) & 0xff;
        return (candidate[full] & mask) == (network[full] & mask);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr other && text.equals(other.text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
