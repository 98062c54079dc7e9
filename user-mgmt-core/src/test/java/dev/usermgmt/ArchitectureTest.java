package dev.usermgmt;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.Test;

/**
 * The package structure of core: no package cycles (each package is a slice), and the root package
 * is the leaf vocabulary every other package builds on.
 */
final class ArchitectureTest {
  private static final JavaClasses CORE =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.usermgmt");

  /** Every package of the library is its own slice. */
  static final SliceAssignment BY_PACKAGE =
      new SliceAssignment() {
        @Override
        public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
          return javaClass.getPackageName().startsWith("dev.usermgmt")
              ? SliceIdentifier.of(javaClass.getPackageName())
              : SliceIdentifier.ignore();
        }

        @Override
        public String getDescription() {
          return "the packages of dev.usermgmt";
        }
      };

  @Test
  void noPackageDependsOnItselfThroughOthers() {
    slices().assignedFrom(BY_PACKAGE).should().beFreeOfCycles().check(CORE);
  }

  @Test
  void theRootPackageDependsOnNoOtherPackageOfTheLibrary() {
    noClasses()
        .that()
        .resideInAPackage("dev.usermgmt")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.usermgmt.(**)")
        .check(CORE);
  }

  @Test
  void internalHelpersDependOnTheRootPackageOnly() {
    noClasses()
        .that()
        .resideInAPackage("dev.usermgmt.internal")
        .should()
        .dependOnClassesThat()
        .resideOutsideOfPackages("dev.usermgmt", "dev.usermgmt.internal", "java..", "com.google..")
        .andShould()
        .dependOnClassesThat()
        .resideInAPackage("dev.usermgmt.internal.(**)")
        .check(CORE);
  }
}
