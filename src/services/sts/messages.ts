/** Encoded authorization-failure messages (EC2's UnauthorizedOperation), as DecodeAuthorizationMessage decodes them. */
export const MESSAGE_PREFIX = "awsim-authz-";

export function encodeAuthorizationMessage(decoded: object): string {
  return MESSAGE_PREFIX + Buffer.from(JSON.stringify(decoded)).toString("base64url");
}
