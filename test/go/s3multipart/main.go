package main

import (
	"bytes"
	"context"
	"fmt"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/feature/s3/manager"
	"github.com/aws/aws-sdk-go-v2/service/s3"
)

func main() {
	endpoint := os.Args[1]
	cfg := aws.Config{
		Region:      "us-east-1",
		Credentials: credentials.NewStaticCredentialsProvider("test", "test", ""),
		EndpointResolverWithOptions: aws.EndpointResolverWithOptionsFunc(func(service, region string, options ...interface{}) (aws.Endpoint, error) {
			return aws.Endpoint{URL: endpoint, HostnameImmutable: true}, nil
		}),
	}
	client := s3.NewFromConfig(cfg, func(o *s3.Options) { o.UsePathStyle = true })
	ctx := context.Background()
	if _, err := client.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String("go-bucket")}); err != nil {
		fmt.Println("create:", err)
		os.Exit(1)
	}
	body := bytes.Repeat([]byte("g"), 12*1024*1024)
	up := manager.NewUploader(client, func(u *manager.Uploader) { u.PartSize = 5 * 1024 * 1024 })
	out, err := up.Upload(ctx, &s3.PutObjectInput{Bucket: aws.String("go-bucket"), Key: aws.String("big"), Body: bytes.NewReader(body)})
	if err != nil {
		fmt.Println("upload:", err)
		os.Exit(1)
	}
	head, err := client.HeadObject(ctx, &s3.HeadObjectInput{Bucket: aws.String("go-bucket"), Key: aws.String("big")})
	if err != nil {
		fmt.Println("head:", err)
		os.Exit(1)
	}
	fmt.Printf("uploaded %s parts=%d size=%d etag=%s\n", out.UploadID, len(out.CompletedParts), head.ContentLength, aws.ToString(head.ETag))
}
