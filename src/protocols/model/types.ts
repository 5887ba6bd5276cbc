/** The subset of botocore's service-2.json awsim reads (models/<service>.json, documentation stripped). */

export interface MemberRef {
  shape: string;
  locationName?: string;
  location?: "uri" | "querystring" | "header" | "headers" | "statusCode";
  queryName?: string;
  flattened?: boolean;
  xmlNamespace?: { uri: string; prefix?: string };
  xmlAttribute?: boolean;
  streaming?: boolean;
  idempotencyToken?: boolean;
  hostLabel?: boolean;
  eventpayload?: boolean;
  jsonvalue?: boolean;
}

export interface Shape {
  type: "structure" | "string" | "list" | "map" | "integer" | "long" | "boolean" | "timestamp" | "double" | "float" | "blob";
  members?: Record<string, MemberRef>;
  required?: string[];
  member?: MemberRef;
  key?: MemberRef;
  value?: MemberRef;
  enum?: string[];
  min?: number;
  max?: number;
  pattern?: string;
  payload?: string;
  flattened?: boolean;
  locationName?: string;
  timestampFormat?: "iso8601" | "unixTimestamp" | "rfc822";
  exception?: boolean;
  error?: { code?: string; httpStatusCode?: number; senderFault?: boolean };
  fault?: boolean;
  streaming?: boolean;
  eventstream?: boolean;
  union?: boolean;
  document?: boolean;
  xmlNamespace?: { uri: string; prefix?: string };
  sensitive?: boolean;
}

export interface OperationModel {
  name: string;
  http: { method: string; requestUri: string; responseCode?: number };
  input?: MemberRef;
  output?: MemberRef & { resultWrapper?: string };
  errors?: MemberRef[];
  endpoint?: { hostPrefix?: string };
}

export interface ServiceModel {
  metadata: {
    apiVersion: string;
    protocol: "json" | "query" | "ec2" | "rest-json" | "rest-xml";
    jsonVersion?: string;
    targetPrefix?: string;
    xmlNamespace?: string;
    serviceId: string;
    endpointPrefix: string;
    signingName?: string;
    timestampFormat?: string;
  };
  operations: Record<string, OperationModel>;
  shapes: Record<string, Shape>;
}
