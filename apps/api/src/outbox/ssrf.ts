import { promises as dns, type LookupAddress } from "node:dns";
import { isIP, type LookupFunction } from "node:net";
import ipaddr from "ipaddr.js";

/**
 * What a webhook may connect to: public unicast addresses only, unless LAUREL_WEBHOOK_ALLOW_PRIVATE.
 * A tenant names the URL, so without this rule the dispatcher would POST, from inside the network, to
 * loopback services, private hosts and the cloud's metadata service (169.254.169.254, fd00:ec2::254).
 * The rule is checked on the addresses a name resolves to, when the connection is made (a name that
 * resolved to a public address at registration may resolve to a private one later); literal addresses
 * are also refused at registration.
 */

/**
 * The range an address is in when a webhook may not go there (`loopback`, `private`, `linkLocal`,
 * `uniqueLocal`, `carrierGradeNat`, `multicast`, `unspecified`, `reserved` ...: ipaddr.js's names), or
 * undefined for a public unicast address. IPv4-mapped IPv6 addresses are judged as the IPv4 address.
 */
export function blockedRange(address: string): string | undefined {
  if (!ipaddr.isValid(address)) return "invalid";
  let parsed = ipaddr.parse(address);
  if (parsed.kind() === "ipv6" && (parsed as ipaddr.IPv6).isIPv4MappedAddress())
    parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  const range = parsed.range();
  // An allow-list: anything ipaddr.js knows as special (documentation, NAT64, 6to4, Teredo ...) is out.
  return range === "unicast" ? undefined : range;
}

/** A URL's host as an address when it is one (`[::1]` → `::1`), else undefined. */
export function literalAddress(hostname: string): string | undefined {
  const bare = hostname.startsWith("[") && hostname.endsWith("]") ? hostname.slice(1, -1) : hostname;
  return isIP(bare) ? bare : undefined;
}

/** Names that always mean this machine (RFC 6761), refused like 127.0.0.1 without asking DNS. */
export const isLocalhostName = (hostname: string): boolean => /(^|\.)localhost\.?$/i.test(hostname);

/** A connection refused by the rule: the name, the address it resolved to and that address's range. */
export class RefusedAddress extends Error {
  readonly code = "ELAURELREFUSED";
  constructor(
    readonly hostname: string,
    readonly address: string,
    readonly range: string,
  ) {
    super(
      hostname === address
        ? `refused: ${address} is a ${range} address`
        : `refused: ${hostname} resolves to ${address}, a ${range} address`,
    );
  }
}

/** Why a URL's host is refused before any lookup (a literal address, a localhost name), if it is. */
export function refusedHost(hostname: string, allowPrivate: boolean): RefusedAddress | undefined {
  if (allowPrivate) return undefined;
  const literal = literalAddress(hostname);
  if (literal) {
    const range = blockedRange(literal);
    return range ? new RefusedAddress(literal, literal, range) : undefined;
  }
  return isLocalhostName(hostname) ? new RefusedAddress(hostname, "localhost", "loopback") : undefined;
}

/** A name's addresses, as `dns.lookup` gives them (all of them). Tests inject their own. */
export type Resolve = (hostname: string, family: 0 | 4 | 6) => Promise<LookupAddress[]>;

export const systemResolve: Resolve = (hostname, family) => dns.lookup(hostname, { all: true, family });

const familyOf = (family: number | string | undefined): 0 | 4 | 6 =>
  family === 4 || family === "IPv4" ? 4 : family === 6 || family === "IPv6" ? 6 : 0;

/**
 * A `lookup` for net/tls connections (http.request's option) that resolves the name and refuses it when
 * any of its addresses is in a blocked range (a name with one public and one private address could be
 * steered to the private one), so the check holds at connect time, for the address actually used.
 */
export function guardedLookup(options: { allowPrivate: boolean; resolve?: Resolve }): LookupFunction {
  const resolve = options.resolve ?? systemResolve;
  return (hostname, lookupOptions, callback) => {
    resolve(hostname, familyOf(lookupOptions.family))
      .then((addresses) => {
        if (addresses.length === 0)
          throw Object.assign(new Error(`${hostname} has no address`), { code: "ENOTFOUND" });
        if (!options.allowPrivate) {
          for (const { address } of addresses) {
            const range = blockedRange(address);
            if (range) throw new RefusedAddress(hostname, address, range);
          }
        }
        if (lookupOptions.all) callback(null, addresses);
        else callback(null, addresses[0]!.address, addresses[0]!.family);
      })
      .catch((error: NodeJS.ErrnoException) => callback(error, ""));
  };
}
