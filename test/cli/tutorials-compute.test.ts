/**
 * AWS's developer tutorials (aws-samples/sample-developer-tutorials) for EC2, ECS, ECR and EFS, replayed with
 * the aws CLI: the steps where awsim answered differently from what the tutorial's script reads.
 */
import { describe, expect, it } from "vitest";
import { aws, hasAwsCli, useServer } from "../helpers.js";

describe.skipIf(!hasAwsCli())("developer tutorials: compute (aws CLI)", () => {
  const sim = useServer();
  const run = async (args: string[]) => {
    const r = await aws(sim.server, args);
    expect(r.code, `${args.join(" ")}: ${r.stderr}`).toBe(0);
    return r.json;
  };
  const defaultSubnet = async () => {
    const vpc = await run(["ec2", "describe-vpcs", "--filters", "Name=isDefault,Values=true", "--query", "Vpcs[0].VpcId"]);
    const subnet = await run(["ec2", "describe-subnets", "--filters", `Name=vpc-id,Values=${vpc}`, "--query", "Subnets[0].SubnetId"]);
    return { vpc: vpc as string, subnet: subnet as string };
  };
  const eniStatus = (id: string) =>
    run(["ec2", "describe-network-interfaces", "--network-interface-ids", id, "--query", "NetworkInterfaces[0].[Status,RequesterManaged]"]);

  it("086-amazon-ecs-fargate-linux: the service's task ENI has the public IP and is in-use while the task runs", async () => {
    const { vpc, subnet } = await defaultSubnet();
    const sg = await run(["ec2", "create-security-group", "--group-name", "fargate-tut", "--description", "fargate", "--vpc-id", vpc, "--query", "GroupId"]);
    await run(["ecs", "create-cluster", "--cluster-name", "fargate-cluster"]);
    const td = {
      family: "sample-fargate",
      networkMode: "awsvpc",
      requiresCompatibilities: ["FARGATE"],
      cpu: "256",
      memory: "512",
      containerDefinitions: [
        { name: "fargate-app", image: "public.ecr.aws/docker/library/httpd:latest", essential: true, portMappings: [{ containerPort: 80 }] },
      ],
    };
    await run(["ecs", "register-task-definition", "--cli-input-json", JSON.stringify(td)]);
    const net = `awsvpcConfiguration={subnets=[${subnet}],securityGroups=[${sg}],assignPublicIp=ENABLED}`;
    await run([
      "ecs",
      "create-service",
      "--cluster",
      "fargate-cluster",
      "--service-name",
      "fargate-service",
      "--task-definition",
      "sample-fargate",
      "--desired-count",
      "1",
      "--launch-type",
      "FARGATE",
      "--network-configuration",
      net,
    ]);
    await run(["ecs", "wait", "services-stable", "--cluster", "fargate-cluster", "--services", "fargate-service"]);
    const task = await run(["ecs", "list-tasks", "--cluster", "fargate-cluster", "--service-name", "fargate-service", "--query", "taskArns[0]"]);
    const [eni] = await run([
      "ecs",
      "describe-tasks",
      "--cluster",
      "fargate-cluster",
      "--tasks",
      task,
      "--query",
      "tasks[0].attachments[0].details[?name=='networkInterfaceId'].value",
    ]);
    const ip = await run(["ec2", "describe-network-interfaces", "--network-interface-ids", eni, "--query", "NetworkInterfaces[0].Association.PublicIp"]);
    expect(ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
    expect(await eniStatus(eni)).toEqual(["in-use", true]);
    const inUse = await run([
      "ec2",
      "describe-network-interfaces",
      "--filters",
      "Name=status,Values=in-use",
      `Name=group-id,Values=${sg}`,
      "--query",
      "NetworkInterfaces[*].NetworkInterfaceId",
    ]);
    expect(inUse).toEqual([eni]);
  });

  it("018-ecs-ec2: an instance launched with ECS_CLUSTER user data registers as a container instance and takes tasks", async () => {
    const trust = JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
    });
    await run(["iam", "create-role", "--role-name", "ecsInstanceRole", "--assume-role-policy-document", trust]);
    await run(["iam", "create-instance-profile", "--instance-profile-name", "ecsInstanceRole"]);
    await run(["iam", "add-role-to-instance-profile", "--instance-profile-name", "ecsInstanceRole", "--role-name", "ecsInstanceRole"]);
    await run(["ecs", "create-cluster", "--cluster-name", "tutorial-cluster"]);
    const userData = "#!/bin/bash\necho ECS_CLUSTER=tutorial-cluster >> /etc/ecs/ecs.config\n";
    const iid = await run([
      "ec2",
      "run-instances",
      "--image-id",
      "ami-0abcdef1234567890",
      "--instance-type",
      "t3.micro",
      "--iam-instance-profile",
      "Name=ecsInstanceRole",
      "--user-data",
      userData,
      "--query",
      "Instances[0].InstanceId",
    ]);
    await run(["ec2", "wait", "instance-running", "--instance-ids", iid]);
    const [ci] = await run(["ecs", "list-container-instances", "--cluster", "tutorial-cluster", "--query", "containerInstanceArns"]);
    expect(ci).toMatch(/^arn:aws:ecs:us-east-1:000000000000:container-instance\/tutorial-cluster\//);
    const q =
      "containerInstances[0].[ec2InstanceId,status,agentConnected,registeredResources[?name=='CPU'].integerValue|[0],registeredResources[?name=='MEMORY'].integerValue|[0]]";
    expect(await run(["ecs", "describe-container-instances", "--cluster", "tutorial-cluster", "--container-instances", ci, "--query", q])).toEqual([
      iid,
      "ACTIVE",
      true,
      2048,
      1024,
    ]);
    expect(await run(["ecs", "describe-clusters", "--clusters", "tutorial-cluster", "--query", "clusters[0].registeredContainerInstancesCount"])).toBe(1);
    const td = {
      family: "sleep360",
      containerDefinitions: [{ name: "sleep", image: "busybox", cpu: 10, memory: 10, essential: true, command: ["sleep", "360"] }],
    };
    await run(["ecs", "register-task-definition", "--cli-input-json", JSON.stringify(td)]);
    const placed = await run(["ecs", "run-task", "--cluster", "tutorial-cluster", "--task-definition", "sleep360", "--query", "tasks[0].containerInstanceArn"]);
    expect(placed).toBe(ci);
    // Terminating the instance deregisters it (its agent is gone).
    await run(["ec2", "terminate-instances", "--instance-ids", iid]);
    await run(["ec2", "wait", "instance-terminated", "--instance-ids", iid]);
    expect(await run(["ecs", "list-container-instances", "--cluster", "tutorial-cluster", "--query", "length(containerInstanceArns)"])).toBe(0);
    expect(
      await run([
        "ecs",
        "describe-container-instances",
        "--cluster",
        "tutorial-cluster",
        "--container-instances",
        ci,
        "--query",
        "containerInstances[0].status",
      ]),
    ).toBe("INACTIVE");
  });

  it("085-amazon-ecs-service-connect: the deployment names the Cloud Map service it created for the port", async () => {
    const { subnet } = await defaultSubnet();
    const ns = await run([
      "ecs",
      "create-cluster",
      "--cluster-name",
      "sc-cluster",
      "--service-connect-defaults",
      "namespace=service-connect",
      "--query",
      "cluster.serviceConnectDefaults.namespace",
    ]);
    const td = {
      family: "service-connect-nginx",
      networkMode: "awsvpc",
      requiresCompatibilities: ["FARGATE"],
      cpu: "256",
      memory: "512",
      containerDefinitions: [{ name: "webserver", image: "nginx", essential: true, portMappings: [{ name: "nginx", containerPort: 80, appProtocol: "http" }] }],
    };
    await run(["ecs", "register-task-definition", "--cli-input-json", JSON.stringify(td)]);
    const sc = JSON.stringify({ enabled: true, services: [{ portName: "nginx", clientAliases: [{ port: 80 }] }] });
    const net = `awsvpcConfiguration={subnets=[${subnet}],assignPublicIp=ENABLED}`;
    const dep = await run([
      "ecs",
      "create-service",
      "--cluster",
      "sc-cluster",
      "--service-name",
      "service-connect-nginx-service",
      "--task-definition",
      "service-connect-nginx",
      "--desired-count",
      "1",
      "--launch-type",
      "FARGATE",
      "--network-configuration",
      net,
      "--service-connect-configuration",
      sc,
      "--query",
      "service.deployments[0]",
    ]);
    expect(dep.serviceConnectConfiguration.namespace).toBe(ns);
    expect(dep.serviceConnectResources).toEqual([
      { discoveryName: "nginx", discoveryArn: expect.stringMatching(/^arn:aws:servicediscovery:us-east-1:000000000000:service\/srv-/) },
    ]);
    const nsId = ns.split("/").pop();
    const listed = await run(["servicediscovery", "list-services", "--filters", `Name=NAMESPACE_ID,Values=${nsId}`, "--query", "Services[*].[Name,Arn]"]);
    expect(listed).toEqual([["nginx", dep.serviceConnectResources[0].discoveryArn]]);
    // Cleanup: the Cloud Map service goes with the ECS service, so the namespace can be deleted.
    await run(["ecs", "delete-service", "--cluster", "sc-cluster", "--service", "service-connect-nginx-service", "--force"]);
    expect(await run(["servicediscovery", "list-services", "--filters", `Name=NAMESPACE_ID,Values=${nsId}`, "--query", "length(Services)"])).toBe(0);
    await run(["servicediscovery", "delete-namespace", "--id", nsId]);
  });

  it("EFS getting started: the mount target's network interface is in-use", async () => {
    const { subnet } = await defaultSubnet();
    const fs = await run([
      "efs",
      "create-file-system",
      "--creation-token",
      "tut-token",
      "--encrypted",
      "--tags",
      "Key=Name,Value=tut-efs",
      "--query",
      "FileSystemId",
    ]);
    const mt = await run(["efs", "create-mount-target", "--file-system-id", fs, "--subnet-id", subnet]);
    expect(await eniStatus(mt.NetworkInterfaceId)).toEqual(["in-use", true]);
  });

  it("002-vpc-gs: the NAT gateway's network interface is in-use; an interface made by CreateNetworkInterface stays available", async () => {
    const vpc = await run(["ec2", "create-vpc", "--cidr-block", "10.0.0.0/16", "--query", "Vpc.VpcId"]);
    const subnet = await run(["ec2", "create-subnet", "--vpc-id", vpc, "--cidr-block", "10.0.0.0/24", "--query", "Subnet.SubnetId"]);
    const igw = await run(["ec2", "create-internet-gateway", "--query", "InternetGateway.InternetGatewayId"]);
    await run(["ec2", "attach-internet-gateway", "--internet-gateway-id", igw, "--vpc-id", vpc]);
    const eip = await run(["ec2", "allocate-address", "--domain", "vpc", "--query", "AllocationId"]);
    const nat = await run(["ec2", "create-nat-gateway", "--subnet-id", subnet, "--allocation-id", eip, "--query", "NatGateway.NatGatewayId"]);
    await run(["ec2", "wait", "nat-gateway-available", "--nat-gateway-ids", nat]);
    const natEni = await run(["ec2", "describe-nat-gateways", "--nat-gateway-ids", nat, "--query", "NatGateways[0].NatGatewayAddresses[0].NetworkInterfaceId"]);
    expect(await eniStatus(natEni)).toEqual(["in-use", true]);
    const del = await aws(sim.server, ["ec2", "delete-network-interface", "--network-interface-id", natEni]);
    // AWS's answer (amazon-vpc-cni-k8s#1399, cloud-nuke#431): InvalidParameterValue, not InvalidNetworkInterface.InUse.
    expect(del.stderr).toContain(
      `(InvalidParameterValue) when calling the DeleteNetworkInterface operation: Network interface '${natEni}' is currently in use.`,
    );
    const own = await run(["ec2", "create-network-interface", "--subnet-id", subnet, "--query", "NetworkInterface.NetworkInterfaceId"]);
    expect(await eniStatus(own)).toEqual(["available", false]);
  });
});
