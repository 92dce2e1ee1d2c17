/**
 * PEM and DER import: PKCS#8 and SPKI are checked against the algorithm (key type, curve,
 * RSASSA-PSS restriction) and passed on as they are, except id-RSASSA-PSS keys, which are
 * re-labelled rsaEncryption; PKCS#1 and SEC1 keys are wrapped as PKCS#8 or SPKI.
 */
import type { AlgorithmEntry } from '../algorithms/registry';
import {
  children,
  contextTag,
  type DerElement,
  encodeBitString,
  encodeInteger,
  encodeNull,
  encodeOctetString,
  encodeOid,
  encodeSequence,
  isNull,
  parseDer,
  readBitString,
  readOctetString,
  readOid,
  readSmallInteger,
  readUnsignedInteger,
  sequence,
  Tag,
} from '../internal/der';
import { decodePem } from '../internal/pem';
import { CURVE_NAMES, CURVE_OIDS, EC_OID, entryHash, HASH_NAMES, KEY_TYPES, RSA_OID } from './key-algorithms';
import { invalidKey, mismatch } from './key-errors';
import type { Prepared } from './prepared-material';
import type { Bytes } from './types';

const PEM_HANDLERS: Readonly<Record<string, (der: Bytes, entry: AlgorithmEntry) => Prepared>> = {
  'PRIVATE KEY': preparePkcs8,
  'PUBLIC KEY': prepareSpki,
  'RSA PRIVATE KEY': preparePkcs1Private,
  'RSA PUBLIC KEY': preparePkcs1Public,
  'EC PRIVATE KEY': prepareSec1,
};

const PEM_REFUSALS: Readonly<Record<string, string>> = {
  'ENCRYPTED PRIVATE KEY': 'Encrypted private keys are not supported; decrypt the key first',
  CERTIFICATE:
    'Certificates are not supported here; pass the public key, or use keyFromCertificate from @httpsig/keys',
};

export function preparePem(text: string, entry: AlgorithmEntry): Prepared {
  const { label, der } = decodePem(text);
  const handler = Object.hasOwn(PEM_HANDLERS, label) ? PEM_HANDLERS[label] : undefined;
  if (handler !== undefined) return handler(der, entry);
  throw invalidKey(
    Object.hasOwn(PEM_REFUSALS, label) ? (PEM_REFUSALS[label] as string) : `Unsupported PEM label "${label}"`,
  );
}

/** Raw DER is PKCS#8 (starts with a version INTEGER) or SPKI (starts with a SEQUENCE). */
export function prepareDer(der: Bytes, entry: AlgorithmEntry): Prepared {
  const first = children(parseDer(der))[0];
  if (first?.tag === Tag.integer) return preparePkcs8(der, entry);
  if (first?.tag === Tag.sequence) return prepareSpki(der, entry);
  throw invalidKey('DER key data is neither PKCS#8 nor SPKI');
}

function preparePkcs8(der: Bytes, entry: AlgorithmEntry): Prepared {
  // PrivateKeyInfo / OneAsymmetricKey (RFC 5958): version, algorithm, key, [0] attributes, [1] public key.
  const items = sequence(parseDer(der), 'PKCS#8 PrivateKeyInfo', 3, 5);
  const [version, algorithm, privateKey] = items;
  if (readSmallInteger(version, 'PKCS#8 version') > 1) throw invalidKey('Unsupported PKCS#8 version');
  if (algorithm?.tag !== Tag.sequence) {
    throw invalidKey('DER key data is not PKCS#8 (PKCS#1 and SEC1 keys need their PEM labels)');
  }
  readOctetString(privateKey, 'PKCS#8 private key');
  const replacement = checkAlgorithmIdentifier(algorithm, entry);
  const data =
    replacement === undefined
      ? der
      : encodeSequence(...items.map((item) => (item === algorithm ? replacement : item.raw)));
  return { format: 'pkcs8', data, type: 'private' };
}

function prepareSpki(der: Bytes, entry: AlgorithmEntry): Prepared {
  const [algorithm, publicKey] = sequence(parseDer(der), 'SubjectPublicKeyInfo', 2);
  readBitString(publicKey, 'SPKI public key');
  const replacement = checkAlgorithmIdentifier(algorithm, entry);
  const data = replacement === undefined ? der : encodeSequence(replacement, (publicKey as DerElement).raw);
  return { format: 'spki', data, type: 'public' };
}

/**
 * Check a key's AlgorithmIdentifier against the entry. Returns a replacement identifier when
 * the key must be re-labelled for WebCrypto (id-RSASSA-PSS → rsaEncryption), else undefined.
 */
function checkAlgorithmIdentifier(
  algorithm: DerElement | undefined,
  entry: AlgorithmEntry,
): Bytes | undefined {
  const [oidElement, parameters] = sequence(algorithm, 'AlgorithmIdentifier', 1, 2);
  const oid = readOid(oidElement, 'key algorithm');
  const keyType = Object.hasOwn(KEY_TYPES, oid) ? KEY_TYPES[oid] : undefined;
  if (keyType === undefined) throw invalidKey(`Unsupported key type (OID ${oid})`);
  if (keyType.family !== entry.family) throw mismatch(keyType.name, entry);
  if (keyType.crv !== undefined) checkCurve(keyType.crv, entry);
  if (keyType.family === 'ec') {
    const curve = readOid(parameters, 'named curve (explicit curve parameters are not supported)');
    checkCurve(CURVE_NAMES[curve] ?? `OID ${curve}`, entry);
  }
  if (keyType.pssOnly !== true) return undefined;
  checkPssRestriction(parameters, entry);
  return rsaAlgorithmIdentifier();
}

function checkCurve(crv: string, entry: AlgorithmEntry): void {
  if (crv !== entry.jwk.crv) {
    throw mismatch(entry.family === 'ec' ? `an EC ${crv} key` : `an ${crv} key`, entry);
  }
}

/** An id-RSASSA-PSS key may only make PSS signatures (RFC 4055 §1.2), with the hash it names. */
function checkPssRestriction(parameters: DerElement | undefined, entry: AlgorithmEntry): void {
  if ((entry.importParams as { name: string }).name !== 'RSA-PSS') {
    throw mismatch('an RSA key restricted to RSASSA-PSS', entry);
  }
  if (parameters === undefined || isNull(parameters)) return;
  // RSASSA-PSS-params: hashAlgorithm [0] defaults to SHA-1.
  const fields = sequence(parameters, 'RSASSA-PSS parameters', 0, 4);
  const hashField = fields.find((field) => field.tag === contextTag(0));
  let hash = 'SHA-1';
  if (hashField !== undefined) {
    const inner = children(hashField);
    if (inner.length !== 1) throw invalidKey('Malformed DER key data: unexpected shape of RSASSA-PSS hash');
    const oid = readOid(sequence(inner[0], 'RSASSA-PSS hash', 1, 2)[0], 'RSASSA-PSS hash');
    hash = HASH_NAMES[oid] ?? `OID ${oid}`;
  }
  if (hash !== entryHash(entry)) throw mismatch(`an RSA-PSS key restricted to ${hash}`, entry);
}

function rsaAlgorithmIdentifier(): Bytes {
  return encodeSequence(encodeOid(RSA_OID), encodeNull());
}

/** PKCS#1 RSAPrivateKey → PKCS#8 with rsaEncryption (what every WebCrypto imports). */
function preparePkcs1Private(der: Bytes, entry: AlgorithmEntry): Prepared {
  if (entry.family !== 'rsa') throw mismatch('an RSA key', entry);
  const items = sequence(parseDer(der), 'PKCS#1 RSAPrivateKey', 9, 10);
  if (readSmallInteger(items[0], 'PKCS#1 version') !== 0 || items.length !== 9) {
    throw invalidKey('Multi-prime RSA keys are not supported');
  }
  for (const item of items) readUnsignedInteger(item, 'PKCS#1 RSAPrivateKey');
  const data = encodeSequence(encodeInteger(0), rsaAlgorithmIdentifier(), encodeOctetString(der));
  return { format: 'pkcs8', data, type: 'private' };
}

/** PKCS#1 RSAPublicKey → SPKI with rsaEncryption. */
function preparePkcs1Public(der: Bytes, entry: AlgorithmEntry): Prepared {
  if (entry.family !== 'rsa') throw mismatch('an RSA key', entry);
  const [modulus, exponent] = sequence(parseDer(der), 'PKCS#1 RSAPublicKey', 2);
  readUnsignedInteger(modulus, 'RSA modulus');
  readUnsignedInteger(exponent, 'RSA public exponent');
  return {
    format: 'spki',
    data: encodeSequence(rsaAlgorithmIdentifier(), encodeBitString(der)),
    type: 'public',
  };
}

/** SEC1 ECPrivateKey (RFC 5915) → PKCS#8 with id-ecPublicKey and the curve the key names. */
function prepareSec1(der: Bytes, entry: AlgorithmEntry): Prepared {
  if (entry.family !== 'ec') throw mismatch('an EC key', entry);
  const items = sequence(parseDer(der), 'SEC1 ECPrivateKey', 2, 4);
  if (readSmallInteger(items[0], 'SEC1 version') !== 1)
    throw invalidKey('Unsupported SEC1 ECPrivateKey version');
  readOctetString(items[1], 'EC private key');
  const parameters = items.find((item) => item.tag === contextTag(0));
  if (parameters !== undefined) {
    const inner = children(parameters);
    const curve = readOid(inner.length === 1 ? inner[0] : undefined, 'named curve');
    checkCurve(CURVE_NAMES[curve] ?? `OID ${curve}`, entry);
  }
  // Without [0] the curve is the one the algorithm names; WebCrypto checks the key fits it.
  const curveOid = CURVE_OIDS[entry.jwk.crv ?? ''];
  if (curveOid === undefined) throw mismatch('an EC key', entry);
  const algorithm = encodeSequence(encodeOid(EC_OID), encodeOid(curveOid));
  return {
    format: 'pkcs8',
    data: encodeSequence(encodeInteger(0), algorithm, encodeOctetString(der)),
    type: 'private',
  };
}
