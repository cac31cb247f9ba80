import { Fragment } from 'react';

/** A part longer than the whole line (a very long domain) may still break inside, as the last resort. */
const LAST_RESORT = { overflowWrap: 'break-word' } as const;

/**
 * An e-mail address that, on a line too narrow for it, breaks after its @ ("support@ / hoshu.example"),
 * not wherever the line ends ("support@hoshu.exam / ple" on the portal's contract card at 390 px,
 * "engi / neer@hoshu / .examp / le" in the users list).
 */
export function EmailAddress({ address }: { address: string }) {
  const at = address.lastIndexOf('@');
  return (
    <span style={LAST_RESORT} data-email>
      {at < 0 ? address : <Fragment>{address.slice(0, at + 1)}<wbr />{address.slice(at + 1)}</Fragment>}
    </span>
  );
}
