//go:build mint

// awsim's runner for minio-go's mint suite (functional_tests.go, copied beside this file at test time with its
// main renamed to mintMain): runs only the test functions named on the command line, in that order, so the
// awsim test can pick the ones worth their time and list them by name. Not built on its own (the mint tag).
package main

import (
	"fmt"
	"os"

	log "github.com/sirupsen/logrus"
)

var mintTests = map[string]func(){
	"testMakeBucketErrorV2":                          testMakeBucketErrorV2,
	"testGetObjectClosedTwiceV2":                     testGetObjectClosedTwiceV2,
	"testFPutObjectV2":                               testFPutObjectV2,
	"testMakeBucketRegionsV2":                        testMakeBucketRegionsV2,
	"testGetObjectReadSeekFunctionalV2":              testGetObjectReadSeekFunctionalV2,
	"testGetObjectReadAtFunctionalV2":                testGetObjectReadAtFunctionalV2,
	"testGetObjectRanges":                            testGetObjectRanges,
	"testCopyObjectV2":                               testCopyObjectV2,
	"testFunctionalV2":                               testFunctionalV2,
	"testComposeObjectErrorCasesV2":                  testComposeObjectErrorCasesV2,
	"testCompose10KSourcesV2":                        testCompose10KSourcesV2,
	"testUserMetadataCopyingV2":                      testUserMetadataCopyingV2,
	"testPutObjectWithChecksums":                     testPutObjectWithChecksums,
	"testPutObject0ByteV2":                           testPutObject0ByteV2,
	"testPutObjectNoLengthV2":                        testPutObjectNoLengthV2,
	"testPutObjectsUnknownV2":                        testPutObjectsUnknownV2,
	"testGetObjectContextV2":                         testGetObjectContextV2,
	"testFPutObjectContextV2":                        testFPutObjectContextV2,
	"testFGetObjectContextV2":                        testFGetObjectContextV2,
	"testPutObjectContextV2":                         testPutObjectContextV2,
	"testPutObjectWithVersioning":                    testPutObjectWithVersioning,
	"testMakeBucketError":                            testMakeBucketError,
	"testMakeBucketRegions":                          testMakeBucketRegions,
	"testPutObjectWithMetadata":                      testPutObjectWithMetadata,
	"testPutObjectReadAt":                            testPutObjectReadAt,
	"testPutObjectStreaming":                         testPutObjectStreaming,
	"testGetObjectSeekEnd":                           testGetObjectSeekEnd,
	"testGetObjectClosedTwice":                       testGetObjectClosedTwice,
	"testGetObjectS3Zip":                             testGetObjectS3Zip,
	"testRemoveMultipleObjects":                      testRemoveMultipleObjects,
	"testRemoveMultipleObjectsWithResult":            testRemoveMultipleObjectsWithResult,
	"testFPutObjectMultipart":                        testFPutObjectMultipart,
	"testFPutObject":                                 testFPutObject,
	"testGetObjectReadSeekFunctional":                testGetObjectReadSeekFunctional,
	"testGetObjectReadAtFunctional":                  testGetObjectReadAtFunctional,
	"testGetObjectReadAtWhenEOFWasReached":           testGetObjectReadAtWhenEOFWasReached,
	"testPresignedPostPolicy":                        testPresignedPostPolicy,
	"testCopyObject":                                 testCopyObject,
	"testComposeObjectErrorCases":                    testComposeObjectErrorCases,
	"testCompose10KSources":                          testCompose10KSources,
	"testUserMetadataCopying":                        testUserMetadataCopying,
	"testBucketNotification":                         testBucketNotification,
	"testFunctional":                                 testFunctional,
	"testGetObjectModified":                          testGetObjectModified,
	"testPutObjectUploadSeekedObject":                testPutObjectUploadSeekedObject,
	"testGetObjectContext":                           testGetObjectContext,
	"testFPutObjectContext":                          testFPutObjectContext,
	"testFGetObjectContext":                          testFGetObjectContext,
	"testGetObjectACLContext":                        testGetObjectACLContext,
	"testPutObjectContext":                           testPutObjectContext,
	"testStorageClassMetadataPutObject":              testStorageClassMetadataPutObject,
	"testStorageClassInvalidMetadataPutObject":       testStorageClassInvalidMetadataPutObject,
	"testStorageClassMetadataCopyObject":             testStorageClassMetadataCopyObject,
	"testPutObjectWithContentLanguage":               testPutObjectWithContentLanguage,
	"testListObjects":                                testListObjects,
	"testRemoveObjects":                              testRemoveObjects,
	"testListObjectVersions":                         testListObjectVersions,
	"testStatObjectWithVersioning":                   testStatObjectWithVersioning,
	"testGetObjectWithVersioning":                    testGetObjectWithVersioning,
	"testCopyObjectWithVersioning":                   testCopyObjectWithVersioning,
	"testConcurrentCopyObjectWithVersioning":         testConcurrentCopyObjectWithVersioning,
	"testComposeObjectWithVersioning":                testComposeObjectWithVersioning,
	"testRemoveObjectWithVersioning":                 testRemoveObjectWithVersioning,
	"testRemoveObjectsWithVersioning":                testRemoveObjectsWithVersioning,
	"testObjectTaggingWithVersioning":                testObjectTaggingWithVersioning,
	"testSSECEncryptionPutGet":                       testSSECEncryptionPutGet,
	"testSSECEncryptionFPut":                         testSSECEncryptionFPut,
	"testSSECEncryptedGetObjectReadAtFunctional":     testSSECEncryptedGetObjectReadAtFunctional,
	"testSSECEncryptedGetObjectReadSeekFunctional":   testSSECEncryptedGetObjectReadSeekFunctional,
	"testEncryptedCopyObjectV2":                      testEncryptedCopyObjectV2,
	"testEncryptedSSECToSSECCopyObject":              testEncryptedSSECToSSECCopyObject,
	"testEncryptedSSECToUnencryptedCopyObject":       testEncryptedSSECToUnencryptedCopyObject,
	"testUnencryptedToSSECCopyObject":                testUnencryptedToSSECCopyObject,
	"testUnencryptedToUnencryptedCopyObject":         testUnencryptedToUnencryptedCopyObject,
	"testEncryptedEmptyObject":                       testEncryptedEmptyObject,
	"testDecryptedCopyObject":                        testDecryptedCopyObject,
	"testSSECEncryptedToSSECCopyObjectPart":          testSSECEncryptedToSSECCopyObjectPart,
	"testSSECMultipartEncryptedToSSECCopyObjectPart": testSSECMultipartEncryptedToSSECCopyObjectPart,
	"testSSECEncryptedToUnencryptedCopyPart":         testSSECEncryptedToUnencryptedCopyPart,
	"testUnencryptedToSSECCopyObjectPart":            testUnencryptedToSSECCopyObjectPart,
	"testUnencryptedToUnencryptedCopyPart":           testUnencryptedToUnencryptedCopyPart,
	"testEncryptedSSECToSSES3CopyObject":             testEncryptedSSECToSSES3CopyObject,
	"testEncryptedSSES3ToSSECCopyObject":             testEncryptedSSES3ToSSECCopyObject,
	"testSSECEncryptedToSSES3CopyObjectPart":         testSSECEncryptedToSSES3CopyObjectPart,
	"testSSES3EncryptedToSSECCopyObjectPart":         testSSES3EncryptedToSSECCopyObjectPart,
	"testSSES3EncryptionPutGet":                      testSSES3EncryptionPutGet,
	"testSSES3EncryptionFPut":                        testSSES3EncryptionFPut,
	"testSSES3EncryptedGetObjectReadAtFunctional":    testSSES3EncryptedGetObjectReadAtFunctional,
	"testSSES3EncryptedGetObjectReadSeekFunctional":  testSSES3EncryptedGetObjectReadSeekFunctional,
	"testEncryptedSSES3ToSSES3CopyObject":            testEncryptedSSES3ToSSES3CopyObject,
	"testEncryptedSSES3ToUnencryptedCopyObject":      testEncryptedSSES3ToUnencryptedCopyObject,
	"testUnencryptedToSSES3CopyObject":               testUnencryptedToSSES3CopyObject,
	"testUnencryptedToSSES3CopyObjectPart":           testUnencryptedToSSES3CopyObjectPart,
	"testSSES3EncryptedToUnencryptedCopyPart":        testSSES3EncryptedToUnencryptedCopyPart,
	"testSSES3EncryptedToSSES3CopyObjectPart":        testSSES3EncryptedToSSES3CopyObjectPart,
}

func main() {
	if len(os.Args) < 2 {
		mintMain()
		return
	}
	// As mintMain: one JSON line per test on stdout.
	log.SetOutput(os.Stdout)
	log.SetFormatter(&mintJSONFormatter{})
	log.SetLevel(log.InfoLevel)
	for _, name := range os.Args[1:] {
		f, ok := mintTests[name]
		if !ok {
			fmt.Printf("{\"name\":\"minio-go: %s\",\"status\":\"FAIL\",\"error\":\"no such mint test\"}\n", name)
			continue
		}
		f()
	}
}
