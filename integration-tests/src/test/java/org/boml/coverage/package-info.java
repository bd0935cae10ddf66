/**
 * The coverage gate of the build: reads the aggregate JaCoCo report of every module and fails the
 * build below the minimum line and branch coverage, naming the least covered classes.
 */
package org.boml.coverage;
