/**
 * What a public Function URL needs besides SAM's `FunctionUrlConfig`: the condition under which
 * the URLs are public (`UrlAuthType` is `NONE`) and the permissions that let anyone call them.
 *
 * @module
 */

/** The condition under which the Function URLs are public. */
export const PUBLIC_URL = "UrlIsPublic";

/**
 * What lets anyone call a function's URL when `UrlAuthType` is `NONE`: SAM adds these only for
 * a literal `AuthType: NONE`, never for a `Ref`, and without them a public URL answers 403.
 *
 * @param id The function's logical id.
 * @returns The two `AWS::Lambda::Permission` resources, by logical id, under {@linkcode PUBLIC_URL}.
 */
export function publicUrlPermissions(id: string): Record<string, unknown> {
  const permission = (properties: Record<string, unknown>) => ({
    Type: "AWS::Lambda::Permission",
    Condition: PUBLIC_URL,
    Properties: { FunctionName: { Ref: id }, Principal: "*", ...properties },
  });
  return {
    [`${id}UrlPublicInvokeUrl`]: permission({
      Action: "lambda:InvokeFunctionUrl",
      FunctionUrlAuthType: "NONE",
    }),
    [`${id}UrlPublicInvoke`]: permission({
      Action: "lambda:InvokeFunction",
      InvokedViaFunctionUrl: true,
    }),
  };
}
