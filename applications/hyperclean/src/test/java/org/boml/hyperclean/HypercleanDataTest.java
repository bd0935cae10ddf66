package org.boml.hyperclean;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.boml.datasets.fashionmnist.LabeledImages;
import org.junit.jupiter.api.Test;

/**
 * The corrupted training set: exactly the asked fraction of labels, each changed to another class,
 * drawn from the seed alone; the validation set follows the training set and is clean.
 */
class HypercleanDataTest {
  @Test
  void corruptsExactlyTheFractionWithWrongLabels() {
    HypercleanData data = HypercleanData.of(RealData.train(), RealData.test(), 1000, 300, 0.5, 3);
    int[] original = RealData.train().labels(0, 1000);
    int[] noisy = data.noisyLabels();
    boolean[] corrupted = data.corrupted();
    int count = 0;
    int[] shifts = new int[10];
    for (int i = 0; i < 1000; i++) {
      if (corrupted[i]) {
        count++;
        assertNotEquals(original[i], noisy[i], "corrupted example " + i + " kept its label");
        shifts[Math.floorMod(noisy[i] - original[i], 10)]++;
      } else {
        assertEquals(original[i], noisy[i], "clean example " + i + " changed");
      }
    }
    assertEquals(500, count);
    // the new label is uniform over the 9 other classes: ~55 each of 500
    for (int shift = 1; shift < 10; shift++) {
      assertTrue(
          shifts[shift] > 25 && shifts[shift] < 90, "shift counts " + Arrays.toString(shifts));
    }
    assertArrayEquals(RealData.train().labels(1000, 1300), data.validationLabels());
    assertEquals(300 * 784, data.validationImages().length);
    assertEquals(10_000, data.testLabels().length);
    float[] images = data.trainImages();
    assertEquals(RealData.train().images().pixel(999, 400) / 255f, images[999 * 784 + 400], 0f);
  }

  @Test
  void theSeedAloneDecides() {
    HypercleanData a = HypercleanData.of(RealData.train(), RealData.test(), 200, 10, 0.3, 5);
    HypercleanData b = HypercleanData.of(RealData.train(), RealData.test(), 200, 10, 0.3, 5);
    HypercleanData c = HypercleanData.of(RealData.train(), RealData.test(), 200, 10, 0.3, 6);
    assertArrayEquals(a.corrupted(), b.corrupted());
    assertArrayEquals(a.noisyLabels(), b.noisyLabels());
    assertFalse(Arrays.equals(a.corrupted(), c.corrupted()));
    HypercleanData clean = HypercleanData.of(RealData.train(), RealData.test(), 200, 10, 0, 5);
    assertArrayEquals(RealData.train().labels(0, 200), clean.noisyLabels());
  }

  @Test
  void refusesSizesAndFractionsOutOfRange() {
    // read first: a missing data set must fail here with its install command, not inside
    // assertThrows as an unexpected exception type
    LabeledImages train = RealData.train();
    LabeledImages test = RealData.test();
    IllegalArgumentException tooMany =
        assertThrows(
            IllegalArgumentException.class,
            () -> HypercleanData.of(train, test, 50_000, 20_000, 0.5, 0));
    assertTrue(
        tooMany.getMessage().contains("exceed the 60000 training images"), tooMany.getMessage());
    assertThrows(
        IllegalArgumentException.class, () -> HypercleanData.of(train, test, 0, 10, 0.5, 0));
    IllegalArgumentException fraction =
        assertThrows(
            IllegalArgumentException.class, () -> HypercleanData.of(train, test, 10, 10, 1.5, 0));
    assertTrue(fraction.getMessage().contains("--corruption"), fraction.getMessage());
  }
}
