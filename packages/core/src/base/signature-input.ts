/** `Signature-Input` members: covered components plus parameters (RFC 9421 §4.1). */
import { type ComponentIdentifier, identifierFromItem } from '../components/identifier';
import { HttpSigError } from '../errors';
import {
  type BareItem,
  type Dictionary,
  type InnerList,
  type Item,
  isInnerList,
  parseDictionary,
} from '../sfv/index';
import type { VerifyLimits } from '../verify/limits';
import { checkComponentCount } from '../verify/limits';
import { paramsFromMap, paramsToMap } from './params';
import type { SignatureParams } from './types';

export interface SignatureInputMember {
  readonly label: string;
  readonly components: readonly ComponentIdentifier[];
  readonly params: SignatureParams;
  /** The member's original structured value, whose serialization is `@signature-params`. */
  readonly value: InnerList;
}

/**
 * Read one member of a parsed Signature-Input (or Accept-Signature) dictionary. With `limits`,
 * the number of covered components is checked before any identifier is validated.
 */
export function readMember(
  label: string,
  member: Item | InnerList,
  field = 'signature-input',
  limits?: Pick<VerifyLimits, 'maxCoveredComponents'>,
): SignatureInputMember {
  if (!isInnerList(member)) {
    throw new HttpSigError('ERR_HTTPSIG_PARSE', `The ${field} member must be an inner list of components`, {
      field,
      label,
    });
  }
  if (limits) checkComponentCount(label, member[0].length, limits);
  const components = member[0].map((item) => {
    if (typeof item[0] !== 'string') {
      throw new HttpSigError('ERR_HTTPSIG_PARSE', 'Covered components must be strings', { field, label });
    }
    return identifierFromItem(item);
  });
  return { label, components, params: paramsFromMap(member[1], field), value: member };
}

/** The structured value of a new member: the covered components and the parameters, in order. */
export function createSignatureParamsValue(
  components: readonly ComponentIdentifier[],
  params: Readonly<SignatureParams>,
): InnerList {
  return [components.map((id) => [id.name, id.params as Map<string, BareItem>]), paramsToMap(params)];
}

export interface ParsedSignatureInput {
  readonly label: string;
  /** Covered component identifiers, serialized, in order. */
  readonly components: string[];
  /** Parameters in order. */
  readonly params: SignatureParams;
}

/** Parse a whole `Signature-Input` field value. */
export function parseSignatureInput(value: string): ParsedSignatureInput[] {
  const dictionary: Dictionary = parseDictionary(value, 'signature-input');
  return [...dictionary].map(([label, member]) => {
    const read = readMember(label, member);
    return { label, components: read.components.map((c) => c.serialized), params: read.params };
  });
}
