package io.tributary.kafka.broker;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;

/** The names a server certificate must carry: localhost, 127.0.0.1 and the broker host. */
record SubjectNames(List<String> dnsNames, List<InetAddress> addresses) {

  static SubjectNames of(String host) throws IOException {
    List<String> dns = new ArrayList<>(List.of("localhost"));
    List<InetAddress> ips = new ArrayList<>(List.of(literal("127.0.0.1")));
    if (isIpLiteral(host)) {
      InetAddress address = literal(host);
      if (!ips.contains(address)) {
        ips.add(address);
      }
    } else if (!dns.contains(host.toLowerCase(Locale.ROOT))) {
      dns.add(host.toLowerCase(Locale.ROOT));
    }
    return new SubjectNames(List.copyOf(dns), List.copyOf(ips));
  }

  /** True if the subjectAltName entries of a certificate include every name needed here. */
  boolean coveredBy(Collection<List<?>> subjectAltNames) throws IOException {
    if (subjectAltNames == null) {
      return false;
    }
    List<String> dns = new ArrayList<>();
    List<InetAddress> ips = new ArrayList<>();
    for (List<?> entry : subjectAltNames) {
      int type = (Integer) entry.get(0);
      if (type == GeneralName.dNSName) {
        dns.add(((String) entry.get(1)).toLowerCase(Locale.ROOT));
      } else if (type == GeneralName.iPAddress) {
        ips.add(literal((String) entry.get(1)));
      }
    }
    return dns.containsAll(dnsNames) && ips.containsAll(addresses);
  }

  GeneralNames toGeneralNames() {
    List<GeneralName> names = new ArrayList<>();
    dnsNames.forEach(name -> names.add(new GeneralName(GeneralName.dNSName, name)));
    addresses.forEach(
        ip ->
            names.add(new GeneralName(GeneralName.iPAddress, new DEROctetString(ip.getAddress()))));
    return new GeneralNames(names.toArray(GeneralName[]::new));
  }

  static boolean isIpLiteral(String host) {
    return host.matches("\\d{1,3}(\\.\\d{1,3}){3}") || host.contains(":");
  }

  /** An IP address from its text form; never a DNS lookup, which is why it is for literals. */
  private static InetAddress literal(String ip) throws IOException {
    String bare = ip.startsWith("[") && ip.endsWith("]") ? ip.substring(1, ip.length() - 1) : ip;
    return InetAddress.getByName(bare);
  }
}
